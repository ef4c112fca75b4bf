//! Stoplight Prism as a child process: started on a free port of 127.0.0.1,
//! awaited until it listens, and killed with its process group on drop.
//!
//! Prism is installed by the repository itself: `npm ci --prefix
//! conformance/prism` (the version is pinned in `package-lock.json`).
//! `PRISM_BIN` points at another `prism` executable.

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The command that installs Prism, from the repository's root.
pub const INSTALL_COMMAND: &str = "npm ci --prefix conformance/prism";

/// The line Prism prints once it serves requests.
const READY_LINE: &str = "Prism is listening on";

/// How much of Prism's output an error quotes.
const QUOTED_OUTPUT: usize = 4000;

#[derive(Debug, thiserror::Error)]
pub enum PrismError {
    #[error("Prism is not installed: {} does not exist; install it with `{INSTALL_COMMAND}` from the repository (or point PRISM_BIN at a prism executable)", .0.display())]
    NotInstalled(PathBuf),
    #[error(
        "Prism needs Node.js, and `node` is not on PATH (Prism 5.14 wants node 18.20 or later)"
    )]
    NodeMissing,
    #[error("cannot start Prism ({program}): {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("no free port on 127.0.0.1: {0}")]
    Port(std::io::Error),
    #[error("Prism exited ({status}) before listening, on {spec}; its output:\n{output}")]
    Exited {
        spec: String,
        status: String,
        output: String,
    },
    #[error("Prism did not listen within {} s on {spec}; its output:\n{output}", .after.as_secs())]
    Timeout {
        spec: String,
        after: Duration,
        output: String,
    },
}

/// How Prism answers.
#[derive(Debug, Clone)]
pub struct PrismOptions {
    /// `--dynamic`: responses generated from the schema (json-schema-faker)
    /// instead of the spec's examples. Per request, the header
    /// `Prefer: dynamic=true|false` overrides it.
    pub dynamic: bool,
    /// `--seed`: generated responses are reproducible.
    pub seed: Option<String>,
    /// How long loading the spec may take.
    pub ready_timeout: Duration,
}

impl Default for PrismOptions {
    fn default() -> Self {
        PrismOptions {
            dynamic: false,
            seed: None,
            ready_timeout: Duration::from_secs(120),
        }
    }
}

/// Where the `prism` executable is: `PRISM_BIN`, else the repository's own
/// install. Errors say how to install it.
pub fn locate() -> Result<PathBuf, PrismError> {
    let program = match std::env::var_os("PRISM_BIN") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("prism/node_modules/.bin/prism"),
    };
    if !program.exists() {
        return Err(PrismError::NotInstalled(program));
    }
    let node = Command::new("node")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if !node.is_ok_and(|s| s.success()) {
        return Err(PrismError::NodeMissing);
    }
    Ok(program)
}

/// A running Prism mock server.
pub struct Prism {
    child: Child,
    address: SocketAddr,
    load_time: Duration,
    output: Arc<Mutex<String>>,
}

impl Prism {
    /// Starts `prism mock <spec> -h 127.0.0.1 -p <free port> --errors` and
    /// waits until it listens. `--errors` makes an invalid request answer 422
    /// (or the operation's error response) with the violations, instead of a
    /// mocked success.
    pub fn start(spec: &Path, options: &PrismOptions) -> Result<Prism, PrismError> {
        let program = locate()?;
        let port = free_port()?;
        let mut command = Command::new(&program);
        command
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string(), "--errors"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so that drop ends whatever it forks.
            .process_group(0);
        if options.dynamic {
            command.arg("--dynamic");
        }
        if let Some(seed) = &options.seed {
            command.args(["--seed", seed]);
        }
        let started = Instant::now();
        let mut child = command.spawn().map_err(|source| PrismError::Spawn {
            program: program.display().to_string(),
            source,
        })?;
        let output = Arc::new(Mutex::new(String::new()));
        let ready = Arc::new(Mutex::new(false));
        if let Some(stdout) = child.stdout.take() {
            collect(stdout, output.clone(), Some(ready.clone()));
        }
        if let Some(stderr) = child.stderr.take() {
            collect(stderr, output.clone(), None);
        }
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let mut prism = Prism {
            child,
            address,
            load_time: Duration::ZERO,
            output,
        };
        let spec_name = spec.display().to_string();
        loop {
            let listening = *ready.lock().unwrap_or_else(|e| e.into_inner())
                || TcpStream::connect_timeout(&address, Duration::from_millis(50)).is_ok();
            if listening {
                prism.load_time = started.elapsed();
                return Ok(prism);
            }
            if let Ok(Some(status)) = prism.child.try_wait() {
                // Let the reader threads take the last output.
                thread::sleep(Duration::from_millis(100));
                return Err(PrismError::Exited {
                    spec: spec_name,
                    status: status.to_string(),
                    output: prism.output_tail(),
                });
            }
            if started.elapsed() > options.ready_timeout {
                return Err(PrismError::Timeout {
                    spec: spec_name,
                    after: options.ready_timeout,
                    output: prism.output_tail(),
                });
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// From the start of the process until it listened.
    pub fn load_time(&self) -> Duration {
        self.load_time
    }

    /// Everything Prism printed so far (its log names each violation).
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn output_tail(&self) -> String {
        let output = self.output();
        let cut = output.len().saturating_sub(QUOTED_OUTPUT);
        let cut = (cut..output.len())
            .find(|&i| output.is_char_boundary(i))
            .unwrap_or(0);
        output[cut..].to_string()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let group = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group the
        // child leads (made by `process_group(0)`); it touches no memory.
        unsafe {
            libc::kill(-group, libc::SIGTERM);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            thread::sleep(Duration::from_millis(20));
        }
        // SAFETY: as above; whatever is left of the group is killed.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, PrismError> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(PrismError::Port)?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(PrismError::Port)
}

/// Copies a pipe into `output` line by line, setting `ready` at Prism's
/// "listening" line.
fn collect(
    pipe: impl Read + Send + 'static,
    output: Arc<Mutex<String>>,
    ready: Option<Arc<Mutex<bool>>>,
) {
    thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut line = String::new();
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    if let Some(ready) = &ready
                        && line.contains(READY_LINE)
                    {
                        *ready.lock().unwrap_or_else(|e| e.into_inner()) = true;
                    }
                    output
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push_str(&line);
                }
            }
        }
    });
}

/// Writes a document where Prism can read it (as JSON), returning the path.
pub fn write_spec(
    dir: &Path,
    name: &str,
    document: &serde_json::Value,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{name}.json"));
    let text = serde_json::to_string(document).map_err(std::io::Error::other)?;
    std::fs::write(&path, text)?;
    Ok(path)
}
