//! `baton-relay`: configured by environment (docs/relay.md, "Relay"); `make relay` starts it.

#[tokio::main]
async fn main() {
    let config = match baton_relay::config::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("baton-relay: {e}");
            std::process::exit(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("baton-relay: cannot listen on {}: {e}", config.addr);
            std::process::exit(2);
        }
    };
    if let Err(e) = baton_relay::run(config, listener).await {
        eprintln!("baton-relay: {e}");
        std::process::exit(1);
    }
}
