//! Test and benchmark support: the relay binary as a process, and a throwaway PostgreSQL
//! cluster from Debian's packages. Not part of the relay's service; `relay/tests` and
//! `make bench-relay` use it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").map(|l| l.local_addr().map(|a| a.port()).unwrap_or(0)).unwrap_or(0)
}

/// Whether the relay on `port` answers `GET /healthz` with 200 (one HTTP/1.1 request by hand:
/// the relay's own dependencies hold no HTTP client for it).
async fn healthy(port: u16) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else { return false };
    let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).await.is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).await.is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// A relay process on a free port; killed (SIGKILL) when dropped. What it writes to stderr goes
/// to a file ([`RelayProcess::log`]), copied to the test's stderr when dropped.
pub struct RelayProcess {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    child: Child,
    log: tempfile_dir::Dir,
}

impl RelayProcess {
    /// Starts `bin` on `database_url` with the environment `env`, and waits until `/healthz`
    /// answers 200 (panics after 20 s).
    pub async fn start(bin: &str, database_url: &str, env: &[(&str, &str)]) -> RelayProcess {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("baton-relay-log-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let stderr = std::fs::File::create(dir.join("stderr")).expect("a log file");
        let mut cmd = Command::new(bin);
        cmd.env("PORT", port.to_string()).env("DATABASE_URL", database_url).stdout(Stdio::null()).stderr(stderr);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let relay = RelayProcess { base: format!("http://127.0.0.1:{port}"), child: cmd.spawn().expect("start baton-relay"), log: tempfile_dir::Dir(dir) };
        for _ in 0..400 {
            if healthy(port).await {
                return relay;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("baton-relay did not become healthy on {}", relay.base);
    }

    /// What the relay wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log.0.join("stderr")).unwrap_or_default()
    }

    /// SIGKILL, as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Peak resident memory (VmHWM) in MB.
    pub fn peak_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<f64>().ok()).map_or(0.0, |kb| kb / 1024.0)
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.kill();
        eprint!("{}", self.log());
    }
}

/// Invites agent `email` with `bin agents add` on `database_url`; returns the invite's token
/// (the link's last segment).
pub fn invite(bin: &str, database_url: &str, email: &str) -> String {
    let out = Command::new(bin).args(["agents", "add", email]).env("DATABASE_URL", database_url).output().expect("run baton-relay agents add");
    assert!(out.status.success(), "agents add: {}", String::from_utf8_lossy(&out.stderr));
    let link = String::from_utf8_lossy(&out.stdout).trim().to_string();
    link.rsplit_once("/invite/").map(|(_, token)| token.to_string()).unwrap_or_else(|| panic!("an invite link, got {link:?}"))
}

/// A throwaway PostgreSQL cluster: `initdb` in a temp dir (as `postgres` when running as root,
/// since the server refuses root), started on a random port, stopped and removed on drop.
pub struct Postgres {
    dir: PathBuf,
    bin: PathBuf,
    /// `postgres://postgres@127.0.0.1:PORT/postgres`.
    pub url: String,
}

fn as_postgres(bin: &Path, tool: &str) -> Command {
    let root = is_root();
    let mut cmd = if root { Command::new("runuser") } else { Command::new(bin.join(tool)) };
    if root {
        cmd.args(["-u", "postgres", "--"]).arg(bin.join(tool));
    }
    cmd
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

impl Postgres {
    /// Starts one; `None` when PostgreSQL is not installed.
    pub fn start() -> Option<Postgres> {
        let bin = std::fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(Result::ok).map(|e| e.path().join("bin")).find(|b| b.join("initdb").exists())?;
        let dir = std::env::temp_dir().join(format!("baton-relay-pg-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).ok()?;
        if is_root() {
            Command::new("chown").args(["-R", "postgres"]).arg(&dir).status().ok()?;
        }
        let data = dir.join("data");
        let init = as_postgres(&bin, "initdb").arg("-D").arg(&data).args(["-A", "trust", "-U", "postgres", "--no-sync"]).stdout(Stdio::null()).status().ok()?;
        assert!(init.success(), "initdb failed");
        let port = free_port();
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", dir.display());
        let started = as_postgres(&bin, "pg_ctl").arg("-D").arg(&data).args(["-o", &options, "-l"]).arg(dir.join("log")).args(["-w", "start"]).stdout(Stdio::null()).status().ok()?;
        assert!(started.success(), "pg_ctl start failed; see {}", dir.join("log").display());
        Some(Postgres { url: format!("postgres://postgres@127.0.0.1:{port}/postgres"), dir, bin })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_postgres(&self.bin, "pg_ctl").arg("-D").arg(self.dir.join("data")).args(["-m", "immediate", "stop"]).stdout(Stdio::null()).status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}


/// A real SMTP server process for the reply-email tests: Debian's aiosmtpd on a random port,
/// storing every message it accepts in a Maildir; killed and removed on drop.
pub struct SmtpSink {
    /// `smtp://127.0.0.1:PORT`.
    pub url: String,
    dir: tempfile_dir::Dir,
    child: Child,
}

mod tempfile_dir {
    /// A directory removed on drop.
    pub struct Dir(pub std::path::PathBuf);
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

impl SmtpSink {
    /// Starts one; `None` when aiosmtpd is not installed.
    pub async fn start() -> Option<SmtpSink> {
        let check = Command::new("/usr/bin/python3").args(["-c", "import aiosmtpd"]).status().ok()?;
        if !check.success() {
            return None;
        }
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("baton-relay-smtp-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).ok()?;
        let child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.join("mail"))
            .stdout(Stdio::null())
            .spawn()
            .ok()?;
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(SmtpSink { url: format!("smtp://127.0.0.1:{port}"), dir: tempfile_dir::Dir(dir), child });
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Every message received so far, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.dir.0.join("mail").join(sub)) {
                out.extend(entries.filter_map(Result::ok).filter_map(|e| std::fs::read_to_string(e.path()).ok()));
            }
        }
        out
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
