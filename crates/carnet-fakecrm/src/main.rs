//! `carnet-fakecrm`: runs one fake CRM on 127.0.0.1 and prints its base URL on the
//! first stdout line, then serves until interrupted (Ctrl-C) or stdin closes when
//! `--exit-on-stdin-close` is given (handy for test harnesses that spawn it).
//!
//! ```text
//! carnet-fakecrm --provider folk --port 0 --token T [--rate-limit 10/1] [--seed FILE] [--fault JSON]...
//! ```

use std::net::Ipv4Addr;
use std::time::Duration;

use carnet_fakecrm::{FakeCrm, Fault, Options, Provider, RateLimit, Seed};
use clap::Parser;

#[derive(Parser, Debug)]
#[command(
    name = "carnet-fakecrm",
    about = "Strict local fake CRM server for Carnet sync tests"
)]
struct Args {
    /// introzy | folk | allo | pipedrive
    #[arg(long)]
    provider: Provider,
    /// Port on 127.0.0.1; 0 (the only value accepted) picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// The API token the server accepts.
    #[arg(long, env = "CARNET_FAKECRM_TOKEN", default_value = "test-token")]
    token: String,
    /// Rate limit per token, as REQUESTS/SECONDS (e.g. 10/1).
    #[arg(long)]
    rate_limit: Option<String>,
    /// JSON file with a seed: {"companies":[],"people":[],"custom_fields":[],"groups":[]}.
    #[arg(long)]
    seed: Option<std::path::PathBuf>,
    /// A fault to queue, as JSON (repeatable), e.g. '{"kind":"drop_after","method":"POST"}'.
    #[arg(long)]
    fault: Vec<String>,
    /// Exit when stdin reaches end of file.
    #[arg(long)]
    exit_on_stdin_close: bool,
}

fn parse_rate(s: &str) -> Result<RateLimit, String> {
    let (n, secs) = s.split_once('/').ok_or("expected REQUESTS/SECONDS")?;
    let max_requests = n.trim().parse().map_err(|_| "bad request count")?;
    let secs: u64 = secs.trim().parse().map_err(|_| "bad seconds")?;
    Ok(RateLimit {
        max_requests,
        window: Duration::from_secs(secs.max(1)),
    })
}

fn options(args: &Args) -> Result<Options, String> {
    if args.port != 0 {
        // Binding a fixed port invites clashes between parallel tests; port 0 only.
        return Err("only --port 0 is supported (a free port is chosen and printed)".into());
    }
    let mut options = Options::with_token(&args.token);
    options.rate_limit = args.rate_limit.as_deref().map(parse_rate).transpose()?;
    if let Some(path) = &args.seed {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        options.seed = serde_json::from_str::<Seed>(&text).map_err(|e| format!("seed: {e}"))?;
    }
    for f in &args.fault {
        options
            .faults
            .push(serde_json::from_str::<Fault>(f).map_err(|e| format!("fault {f}: {e}"))?);
    }
    Ok(options)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = Args::parse();
    let options = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("carnet-fakecrm: {e}");
            std::process::exit(2);
        }
    };
    let handle = match FakeCrm::start(args.provider, options).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("carnet-fakecrm: cannot bind {}:0: {e}", Ipv4Addr::LOCALHOST);
            std::process::exit(1);
        }
    };
    println!("{}", handle.base_url());
    eprintln!(
        "carnet-fakecrm: {} on {} (people: {}, admin: {}/__state)",
        args.provider,
        handle.base_url(),
        handle.people_url(),
        handle.admin_url()
    );
    if args.exit_on_stdin_close {
        let stdin_closed = tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
        });
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = stdin_closed => {}
        }
    } else {
        let _ = tokio::signal::ctrl_c().await;
    }
    handle.shutdown().await;
}
