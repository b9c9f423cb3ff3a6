//! A handler that panics answers 500 and the relay keeps serving: the relay's routes (with one
//! extra handler that panics) served in this process, as `baton-relay` serves them; and the
//! builds that ship the relay unwind instead of aborting the process.

use std::net::SocketAddr;

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // SAFETY: the only test in this binary, before any thread reads the environment.
    unsafe { std::env::set_var("DATABASE_URL", format!("sqlite://{}", dir.path().join("relay.db").display())) };
    let config = baton_relay::config::Config::from_env().unwrap();
    let state = baton_relay::AppState::new(config).await.unwrap();
    let extra = axum::Router::new().route("/test/panic", axum::routing::get(|| async { if std::hint::black_box(true) { panic!("a bug in a handler") } }));
    let app = baton_relay::http::routes(state, extra);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap() });
    for _ in 0..3 {
        let res = reqwest::get(format!("{base}/test/panic")).await.unwrap();
        assert_eq!(res.status().as_u16(), 500);
        let body: serde_json::Value = res.json().await.unwrap();
        assert_eq!(body["error"], "internal");
        assert_eq!(reqwest::get(format!("{base}/healthz")).await.unwrap().status().as_u16(), 200, "still serving");
    }
}

#[test]
fn the_relay_ships_in_a_profile_that_unwinds() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    let profile = manifest.split("[profile.relay]").nth(1).expect("a [profile.relay]").split("\n[").next().unwrap();
    assert!(profile.contains("panic = \"unwind\"") && profile.contains("opt-level = 3"), "{profile}");
    // `make relay`, `make demo` and the benchmark build it with that profile.
    let makefile = std::fs::read_to_string(format!("{root}/Makefile")).unwrap();
    for target in ["relay:", "demo:", "bench-relay:"] {
        let recipe = makefile.split(&format!("\n{target}")).nth(1).unwrap_or_else(|| panic!("{target}")).split("\n\n").next().unwrap();
        assert!(recipe.contains("--profile relay -p baton-relay"), "{target} {recipe}");
        assert!(!recipe.contains("--release -p baton-relay") && !recipe.contains("target/debug/baton-relay"), "{target} {recipe}");
    }
}
