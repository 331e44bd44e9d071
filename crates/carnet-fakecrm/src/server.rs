//! The server: binding to 127.0.0.1:0, the connection loop that can drop a connection
//! on demand, the request pipeline every provider shares (log, faults, auth, rate
//! limit), and the handles tests hold.
//!
//! Connections are served by hand with hyper (not `axum::serve`) because a fault must
//! be able to close *this* request's TCP connection without answering: each connection
//! gets a [`CancellationToken`] that the pipeline cancels, and the connection task then
//! drops the socket mid-request. Non-goal: TLS, HTTP/2, any address but loopback.

use std::convert::Infallible;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::faults::{Fault, FaultKind, FaultPlan, RateLimiter};
use crate::providers::{self, Generic};
use crate::state::{lock, Counts, RequestRecord, Seed, Shared, Store};
use crate::{admin, Options, Provider};

/// Largest request body accepted (the real services cap far lower; 10 MiB is plenty).
const MAX_BODY: usize = 10 * 1024 * 1024;

/// Entry point: `FakeCrm::start(Provider::Folk, Options::default()).await`.
pub struct FakeCrm;

impl FakeCrm {
    /// Binds 127.0.0.1 on a free port, seeds the workspace, queues the faults of
    /// `options`, and serves until the handle is shut down or dropped. Must be called
    /// inside a tokio runtime.
    pub async fn start(provider: Provider, options: Options) -> io::Result<FakeCrmHandle> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            provider,
            token: options.token,
            addr,
            rate_limit: options.rate_limit,
            store: Mutex::new(Store::default()),
            faults: Mutex::new(FaultPlan::default()),
            limiter: Mutex::new(RateLimiter::default()),
            log: Mutex::new(Vec::new()),
        });
        providers::seed(&shared, options.seed);
        {
            let mut plan = lock(&shared.faults);
            for fault in options.faults {
                plan.push(fault);
            }
        }
        let app = build_router(shared.clone());
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(accept_loop(listener, app, shutdown.clone()));
        Ok(FakeCrmHandle {
            shared,
            shutdown,
            task: Some(task),
        })
    }

    /// For non-async tests: starts the server on its own one-worker tokio runtime.
    /// Do not call from inside an async context (it blocks on the runtime).
    pub fn start_blocking(provider: Provider, options: Options) -> io::Result<BlockingFakeCrm> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("carnet-fakecrm")
            .enable_all()
            .build()?;
        let handle = runtime.block_on(FakeCrm::start(provider, options))?;
        Ok(BlockingFakeCrm {
            handle: Some(handle),
            runtime: Some(runtime),
        })
    }
}

/// A running fake CRM. Dropping it stops the server (without waiting).
#[derive(Debug)]
pub struct FakeCrmHandle {
    shared: Arc<Shared>,
    shutdown: CancellationToken,
    task: Option<JoinHandle<()>>,
}

impl FakeCrmHandle {
    pub fn provider(&self) -> Provider {
        self.shared.provider
    }

    /// The socket address (always 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.shared.addr
    }

    /// The base URL a client is configured with, before the documents' paths:
    /// `http://127.0.0.1:PORT` for Introzy, folk and Allo (+ `/api/people`,
    /// `/v1/people`, `/v2/api/crm/people`), `http://127.0.0.1:PORT/api/v1` for
    /// Pipedrive (+ `/persons`).
    pub fn base_url(&self) -> String {
        self.shared.base_url()
    }

    /// Full URL of the people collection (`base_url()` + `/api/people`, ...).
    pub fn people_url(&self) -> String {
        format!(
            "http://{}{}",
            self.shared.addr,
            self.shared.provider.people_path()
        )
    }

    /// Full URL of the admin API (`/__faults`, `/__state`, `/__seed`).
    pub fn admin_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// The one API token this server accepts.
    pub fn token(&self) -> &str {
        &self.shared.token
    }

    /// Stored people, in creation order, in the provider's response shape.
    pub fn people(&self) -> Vec<Value> {
        self.shared.store().people.clone()
    }

    /// One stored person by id (string ids, or the decimal text of a Pipedrive id).
    pub fn person(&self, id: &str) -> Option<Value> {
        self.shared
            .store()
            .people
            .iter()
            .find(|p| providers::id_text(p).as_deref() == Some(id))
            .cloned()
    }

    /// Stored companies (organisations).
    pub fn companies(&self) -> Vec<Value> {
        self.shared.store().companies.clone()
    }

    /// Custom field definitions (Introzy) or personFields (Pipedrive, built-ins included).
    pub fn custom_fields(&self) -> Vec<Value> {
        self.shared.store().fields.clone()
    }

    /// folk groups with their custom field definitions.
    pub fn groups(&self) -> Vec<Value> {
        self.shared.store().groups.clone()
    }

    /// Introzy enrichment jobs created so far.
    pub fn enrich_jobs(&self) -> Vec<Value> {
        self.shared.store().jobs.clone()
    }

    /// Every request received (admin calls excluded), in arrival order.
    pub fn requests(&self) -> Vec<RequestRecord> {
        lock(&self.shared.log).clone()
    }

    /// Writes actually stored so far.
    pub fn counts(&self) -> Counts {
        self.shared.store().counts
    }

    /// Queues a fault after those already pending.
    pub fn push_fault(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// Removes every pending fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Faults still pending, with their remaining counts.
    pub fn pending_faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).pending()
    }

    /// Adds records directly, bypassing validation (see [`Seed`]). Returns the ids of
    /// the seeded people, companies, fields and groups, in that order.
    pub fn seed(&self, seed: Seed) -> Vec<String> {
        providers::seed(&self.shared, seed)
    }

    /// Adds a company named `name` and returns its id.
    pub fn add_company(&self, name: &str) -> String {
        let seed = Seed {
            companies: vec![serde_json::json!({ "name": name })],
            ..Seed::default()
        };
        providers::seed(&self.shared, seed)
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    /// Stops accepting, closes open connections and waits for the server task.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for FakeCrmHandle {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A fake CRM running on its own runtime, for synchronous tests. Derefs to
/// [`FakeCrmHandle`]; dropping it stops the server and the runtime.
#[derive(Debug)]
pub struct BlockingFakeCrm {
    handle: Option<FakeCrmHandle>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::ops::Deref for BlockingFakeCrm {
    type Target = FakeCrmHandle;

    fn deref(&self) -> &FakeCrmHandle {
        // Both options are only emptied in Drop.
        match &self.handle {
            Some(h) => h,
            None => unreachable!("handle is present until drop"),
        }
    }
}

impl Drop for BlockingFakeCrm {
    fn drop(&mut self) {
        drop(self.handle.take());
        if let Some(rt) = self.runtime.take() {
            // Safe even when dropped from inside another runtime.
            rt.shutdown_background();
        }
    }
}

/// Per-connection switch the pipeline flips to drop the connection unanswered.
#[derive(Clone, Debug)]
pub(crate) struct ConnKill(CancellationToken);

fn build_router(shared: Arc<Shared>) -> Router {
    let api = providers::router(shared.provider)
        .fallback(route_not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            pipeline,
        ));
    api.merge(admin::router()).with_state(shared)
}

async fn route_not_found(State(shared): State<Arc<Shared>>) -> Response {
    providers::generic(shared.provider, Generic::NoRoute)
}

async fn accept_loop(listener: TcpListener, app: Router, shutdown: CancellationToken) {
    loop {
        let stream = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: back off instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let app = app.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let kill = CancellationToken::new();
            let conn_kill = ConnKill(kill.clone());
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                req.extensions_mut().insert(conn_kill.clone());
                let app = app.clone();
                async move { Ok::<_, Infallible>(app.oneshot(req).await.into_response()) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            // Dropping `conn` closes the socket: that is how faults hang up.
            tokio::select! {
                _ = conn => {}
                _ = kill.cancelled() => {}
                _ = shutdown.cancelled() => {}
            }
        });
    }
}

/// The steps every provider request goes through: log, faults, auth, rate limit.
async fn pipeline(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let kill = req.extensions().get::<ConnKill>().cloned();
    let provider = shared.provider;
    let (parts, body) = req.into_parts();
    let mut record = RequestRecord {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        status: None,
        answered: true,
        body: Value::Null,
        fault: None,
    };
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let resp = providers::generic(provider, Generic::BadBody("Request body too large"));
            return finish(&shared, record, resp);
        }
    };
    record.body = logged_body(&bytes);

    let fault = lock(&shared.faults).take(&record.method, &record.path, provider.base_path());
    record.fault = fault.as_ref().map(fault_label);
    match &fault {
        Some(FaultKind::DropBefore) => {
            record.answered = false;
            lock(&shared.log).push(record);
            return hang_up(kill).await;
        }
        Some(FaultKind::Status {
            status,
            retry_after,
            body,
        }) => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut resp = match body {
                Some(b) => (status, axum::Json(b.clone())).into_response(),
                None => providers::generic(provider, Generic::Status(status, *retry_after)),
            };
            if let Some(secs) = retry_after {
                resp.headers_mut()
                    .insert("retry-after", HeaderValue::from(*secs));
            }
            return finish(&shared, record, resp);
        }
        _ => {}
    }

    let presented = providers::presented_token(provider, &parts);
    if presented.as_deref() != Some(shared.token.as_str()) {
        return finish(
            &shared,
            record,
            providers::generic(provider, Generic::Unauthorized),
        );
    }
    if let Some(limit) = shared.rate_limit {
        let over = lock(&shared.limiter).hit(limit, &shared.token, Instant::now());
        if let Some(secs) = over {
            let mut resp = providers::generic(
                provider,
                Generic::Status(StatusCode::TOO_MANY_REQUESTS, Some(secs)),
            );
            resp.headers_mut()
                .insert("retry-after", HeaderValue::from(secs));
            return finish(&shared, record, resp);
        }
    }

    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    match fault {
        Some(FaultKind::DropAfter) => {
            record.status = Some(resp.status().as_u16());
            record.answered = false;
            lock(&shared.log).push(record);
            hang_up(kill).await
        }
        Some(FaultKind::Delay { ms }) => {
            // Logged before the wait so a test can see the stored write while the
            // client is still waiting.
            let resp = finish(&shared, record, resp);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            resp
        }
        _ => finish(&shared, record, resp),
    }
}

fn finish(shared: &Shared, mut record: RequestRecord, resp: Response) -> Response {
    record.status = Some(resp.status().as_u16());
    lock(&shared.log).push(record);
    resp
}

/// Closes the connection of the current request; never answers.
async fn hang_up(kill: Option<ConnKill>) -> Response {
    if let Some(ConnKill(token)) = kill {
        token.cancel();
        std::future::pending::<()>().await;
    }
    // Only reachable if the router is served without our connection loop.
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

fn logged_body(bytes: &[u8]) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

fn fault_label(kind: &FaultKind) -> String {
    match kind {
        FaultKind::Status { status, .. } => format!("status {status}"),
        FaultKind::Delay { ms } => format!("delay {ms}ms"),
        FaultKind::DropBefore => "drop_before".to_string(),
        FaultKind::DropAfter => "drop_after".to_string(),
    }
}
