//! `cargo bench --bench serve`: the preview's numbers on the default site.
//!
//! 1. Save → reload: the time from writing one document to the reload event
//!    reaching a subscribed page, over 30 saves (one a second, as an editor
//!    saves), with the full `build` time beside it.
//! 2. Load: 32 keep-alive connections on loopback for 10 s, fetching a mix of
//!    pages, assets, data and search files; every response must be 200.
//! 3. Save → reload at scale: the generated national-shaped corpus
//!    (tests/common/corpus.rs, `SERVE_SCALE_DOCUMENTS` documents, default 833
//!    ≈ 1,000 entity pages; 0 skips it), 20 one-document saves, once with the
//!    dependency rules (`render/deps.rs`) and once re-rendering every page
//!    (`SKILLPRESS_SERVE_RENDER_ALL`; `SERVE_SCALE_RENDER_ALL=0` skips that
//!    pass). Search indexing runs in the background meanwhile, as it does for
//!    an editor. Each pass also prints the median of each rebuild phase
//!    (`SKILLPRESS_SERVE_TIMES`: validate, render, links, write…).

#[path = "../tests/common/mod.rs"]
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::preview::{ReloadStream, Server};

fn main() {
    let site = tempfile::tempdir().unwrap();
    common::copy_tree(
        &common::repo_root().join("content"),
        &site.path().join("content"),
    );

    let builds: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_skillpress"))
                .args(["build", "--root"])
                .arg(site.path())
                .args(["--output", "bench-build"])
                .output()
                .unwrap();
            assert!(out.status.success());
            started.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    println!(
        "full build (process, with search index): median {:.0} ms of 5 {:?}",
        median(builds.clone()),
        rounded(&builds)
    );

    let server = Server::start_with_env(site.path(), &[("SKILLPRESS_SERVE_TIMES", "1")]);
    reload_latency(&server, site.path(), "xinxiang-82", 30);
    load(&server.addr);
    drop(server);
    at_scale();
}

/// Save → reload on the generated national-shaped corpus.
fn at_scale() {
    let documents: usize = std::env::var("SERVE_SCALE_DOCUMENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(833);
    if documents == 0 {
        return;
    }
    let site = tempfile::tempdir().unwrap();
    let corpus = common::corpus::Corpus { documents };
    corpus.write(site.path());
    println!(
        "national-shaped corpus: {documents} documents, {} entity pages",
        corpus.entity_pages()
    );
    let render_all_too = std::env::var("SERVE_SCALE_RENDER_ALL").map_or(true, |v| v != "0");
    for render_all in [false, true] {
        if render_all && !render_all_too {
            continue;
        }
        let env: &[(&str, &str)] = if render_all {
            &[
                ("SKILLPRESS_SERVE_RENDER_ALL", "1"),
                ("SKILLPRESS_SERVE_TIMES", "1"),
            ]
        } else {
            &[("SKILLPRESS_SERVE_TIMES", "1")]
        };
        let started = Instant::now();
        let server = Server::start_with_env(site.path(), env);
        println!(
            "{}: serve printed its address after {:.1} s",
            if render_all {
                "re-rendering every page"
            } else {
                "with render/deps.rs"
            },
            started.elapsed().as_secs_f64()
        );
        reload_latency(&server, site.path(), "doc-7", 20);
        drop(server);
    }
}

fn reload_latency(server: &Server, root: &std::path::Path, slug: &str, saves: usize) {
    let file = root.join(format!("content/documents/{slug}.md"));
    let original = std::fs::read_to_string(&file).unwrap();
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    // Phase name → its time in each rebuild, in the order first printed.
    let mut phases: Vec<(String, Vec<f64>)> = Vec::new();
    for i in 0..saves {
        std::thread::sleep(Duration::from_millis(800));
        // Subscribe as a freshly reloaded page does (the stream ends after each reload).
        let events = ReloadStream::open(server);
        std::thread::sleep(Duration::from_millis(200));
        while server.log.try_recv().is_ok() {}
        let edited = original.replacen("\ntitle: ", &format!("\ntitle: 第{i}稿："), 1);
        let saved = Instant::now();
        std::fs::write(&file, edited).unwrap();
        assert_eq!(
            events.next(Duration::from_secs(60)).as_deref(),
            Some("reload")
        );
        latencies.push(saved.elapsed().as_secs_f64() * 1000.0);
        // The terminal line gives the rebuild's own time: "…（12 毫秒）".
        let line = server
            .wait_log("增量更新", Duration::from_secs(30))
            .expect("the rebuild is logged");
        let logged = line
            .lines()
            .last()
            .and_then(|l| l.rsplit_once('（'))
            .and_then(|(_, t)| t.trim_end_matches("毫秒）").trim().parse::<f64>().ok());
        rebuilds.extend(logged);
        // "重建分段（毫秒）：validate 300.1 · render 512.0 · …"
        let split = line
            .lines()
            .rev()
            .find_map(|l| l.split_once("重建分段（毫秒）："));
        for part in split.map(|(_, p)| p).unwrap_or_default().split(" · ") {
            let Some((name, ms)) = part.rsplit_once(' ') else {
                continue;
            };
            let Ok(ms) = ms.parse::<f64>() else { continue };
            match phases.iter_mut().find(|(n, _)| n == name) {
                Some((_, times)) => times.push(ms),
                None => phases.push((name.to_owned(), vec![ms])),
            }
        }
    }
    std::fs::write(&file, original).unwrap();
    println!(
        "save → reload event, one document, {saves} saves: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        median(latencies.clone()),
        percentile(latencies.clone(), 0.9),
        latencies.iter().cloned().fold(0.0, f64::max)
    );
    println!(
        "  of which the incremental rebuild (as logged): median {:.0} ms",
        median(rebuilds)
    );
    if !phases.is_empty() {
        let medians: Vec<String> = phases
            .into_iter()
            .map(|(name, times)| format!("{name} {:.0}", median(times)))
            .collect();
        println!("  phases, median ms: {}", medians.join(" · "));
    }
}

fn load(addr: &str) {
    let paths = [
        "/",
        "/regions/",
        "/regions/nanyang/",
        "/programs/xinxing-xuetuzhi/",
        "/documents/sanmenxia-188/",
        "/metrics/vocational_training/",
        "/assets/style.css",
        "/data/figures.csv",
        "/feed.xml",
        "/pagefind/pagefind.js",
        "/no-such-page/",
    ];
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, errors, bytes) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    );
    let workers: Vec<_> = (0..32)
        .map(|w| {
            let (stop, ok, errors, bytes, addr) = (
                stop.clone(),
                ok.clone(),
                errors.clone(),
                bytes.clone(),
                addr.to_owned(),
            );
            std::thread::spawn(move || {
                let connect = || {
                    let stream = TcpStream::connect(&addr).unwrap();
                    stream.set_nodelay(true).unwrap();
                    BufReader::new(stream)
                };
                let mut conn = connect();
                let mut i = w;
                while !stop.load(Ordering::Relaxed) {
                    let path = paths[i % paths.len()];
                    i += 1;
                    match get(&mut conn, &addr, path) {
                        Some((status, len))
                            if status == 200 || (status == 404 && path == "/no-such-page/") =>
                        {
                            ok.fetch_add(1, Ordering::Relaxed);
                            bytes.fetch_add(len as u64, Ordering::Relaxed);
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                            conn = connect();
                        }
                    }
                }
            })
        })
        .collect();
    let seconds = 10.0;
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    workers.into_iter().for_each(|w| w.join().unwrap());
    let (ok, errors) = (ok.load(Ordering::Relaxed), errors.load(Ordering::Relaxed));
    println!(
        "load, 32 keep-alive connections, {seconds} s: {ok} responses, {errors} errors, {:.0} requests/s, {:.1} MB/s",
        ok as f64 / seconds,
        bytes.load(Ordering::Relaxed) as f64 / seconds / 1e6
    );
}

/// One keep-alive GET; the status and body length.
fn get(conn: &mut BufReader<TcpStream>, addr: &str, path: &str) -> Option<(u16, usize)> {
    // One write per request: `write!` on a bare socket would send each piece on its own.
    conn.get_mut()
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes())
        .ok()?;
    let mut status_line = String::new();
    conn.read_line(&mut status_line).ok()?;
    let status = status_line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0;
    let mut chunked = false;
    loop {
        let mut header = String::new();
        conn.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
            chunked |= name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked");
        }
    }
    if !chunked {
        let mut body = vec![0; length];
        conn.read_exact(&mut body).ok()?;
        return Some((status, length));
    }
    // HTML is chunked: the reload script is appended as it streams.
    let mut total = 0;
    loop {
        let mut size = String::new();
        conn.read_line(&mut size).ok()?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        let mut chunk = vec![0; size + 2];
        conn.read_exact(&mut chunk).ok()?;
        total += size;
        if size == 0 {
            return Some((status, total));
        }
    }
}

fn median(values: Vec<f64>) -> f64 {
    percentile(values, 0.5)
}

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

fn rounded(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.round() as u64).collect()
}
