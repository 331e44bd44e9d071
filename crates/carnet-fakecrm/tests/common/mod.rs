//! Shared helpers for the fake CRM tests: start a server, send JSON, read status+body.
#![allow(dead_code)]

use std::time::Duration;

use carnet_fakecrm::{FakeCrm, FakeCrmHandle, Options, Provider};
use reqwest::{Client, RequestBuilder};
use serde_json::Value;

pub const TOKEN: &str = "tok_test_123";

pub async fn start(provider: Provider) -> FakeCrmHandle {
    FakeCrm::start(provider, Options::with_token(TOKEN))
        .await
        .expect("fake CRM starts")
}

pub async fn start_with(provider: Provider, options: Options) -> FakeCrmHandle {
    FakeCrm::start(provider, options)
        .await
        .expect("fake CRM starts")
}

pub fn client() -> Client {
    Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

/// Sends and returns (status, JSON body or Null).
pub async fn send(req: RequestBuilder) -> (u16, Value) {
    let resp = req
        .send()
        .await
        .expect("request succeeds at the HTTP level");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body reads");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, body)
}

/// `base + path`.
pub fn url(crm: &FakeCrmHandle, path: &str) -> String {
    format!("{}{}", crm.base_url(), path)
}

/// A string of `n` ASCII letters.
pub fn long(n: usize) -> String {
    "a".repeat(n)
}
