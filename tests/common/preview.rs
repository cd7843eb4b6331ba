//! Running `skillpress serve` in a test: start on a free port, speak raw
//! HTTP/1.1 to it (raw, so that paths such as `/../` reach the server exactly
//! as written), follow its reload stream, stop it with Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

pub struct Server {
    pub child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// The URL path the site is served under, `/` or `/skills/`.
    pub base_path: String,
    pub log: Receiver<String>,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with_env(root, &[])
    }

    /// As [`Server::start`], with extra environment variables for `serve`.
    pub fn start_with_env(root: &Path, env: &[(&str, &str)]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skillpress"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start skillpress serve");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("serve prints its address");
        let url = line
            .trim()
            .strip_prefix("预览地址：http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line}"));
        let (addr, path) = url.split_once('/').unwrap();
        let (sender, log) = channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = sender.send(line);
            }
        });
        Server {
            child,
            addr: addr.to_owned(),
            base_path: format!("/{path}"),
            log,
        }
    }

    pub fn get(&self, raw_path: &str) -> Response {
        request(&self.addr, "GET", raw_path)
    }

    /// Waits for a terminal line containing `needle`; all lines seen on the way.
    pub fn wait_log(&self, needle: &str, timeout: Duration) -> Result<String, String> {
        let mut seen = String::new();
        let deadline = std::time::Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                    if line.contains(needle) {
                        return Ok(seen);
                    }
                }
                Err(_) => break,
            }
        }
        Err(seen)
    }

    /// Sends Ctrl-C and waits for the exit status.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let status = wait_with_timeout(&mut self.child, Duration::from_secs(5));
        std::mem::forget(self);
        status
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_with_timeout(child: &mut Child, timeout: Duration) -> std::process::ExitStatus {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not stop within {timeout:?} of Ctrl-C");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on a fresh connection, path sent byte for byte.
pub fn request(addr: &str, method: &str, raw_path: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect to serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {raw_path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("complete headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap().trim(), 16)
                .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[line_end + 2 + size + 2..];
    }
    out
}

/// A subscription to the reload stream, as the injected script makes it.
pub struct ReloadStream {
    events: Receiver<String>,
}

impl ReloadStream {
    pub fn open(server: &Server) -> ReloadStream {
        let mut stream = TcpStream::connect(&server.addr).unwrap();
        write!(stream, "GET /_skillpress/livereload/event-stream HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", server.addr).unwrap();
        let (sender, events) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(event) = line.strip_prefix("event: ") {
                    if sender.send(event.to_owned()).is_err() {
                        break;
                    }
                }
            }
        });
        let reload = ReloadStream { events };
        assert_eq!(
            reload.next(Duration::from_secs(5)).as_deref(),
            Some("init"),
            "the stream starts with init"
        );
        reload
    }

    pub fn next(&self, timeout: Duration) -> Option<String> {
        self.events.recv_timeout(timeout).ok()
    }
}
