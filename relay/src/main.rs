//! `baton-relay`: configured by environment (docs/relay.md, "Relay"); `make relay` starts it.
//! `baton-relay agents add EMAIL` invites an agent: it prints a one-time link to set a password.

const USAGE: &str = "usage: baton-relay                   serve (configured by the environment)\n       baton-relay agents add EMAIL  invite an agent (or reset their password): prints a one-time link";

#[tokio::main]
async fn main() {
    let config = match baton_relay::config::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("baton-relay: {e}");
            std::process::exit(2);
        }
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => serve(config).await,
        ["agents", "add", email] => match baton_relay::invite(&config, email).await {
            Ok(link) => println!("{link}"),
            Err(e) => {
                eprintln!("baton-relay: {e}");
                std::process::exit(1);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    }
}

async fn serve(config: baton_relay::config::Config) {
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
