//! `skillpress serve`: build, serve the last good build from memory on
//! loopback, watch the sources, rebuild (incrementally when only documents
//! changed) and tell open pages to reload.
//!
//! The reload script is injected into HTML responses by `tower-livereload`
//! (Server-Sent Events); it exists only in responses of this server, never in
//! files `build` writes.

pub mod http;
pub mod preview;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tower_livereload::{LiveReloadLayer, Reloader};

use http::{Shared, Snapshot};
use preview::{Changes, Outcome, Preview, SearchJob};

/// Where the reload event stream lives; outside any site path.
pub const LIVERELOAD_PREFIX: &str = "/_skillpress/livereload";

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("找不到站点目录 {0}")]
    NoRoot(PathBuf),
    #[error("端口 {0} 已被占用：请换一个端口（例如 --port 8081），或用 --port 0 自动选择空闲端口")]
    PortInUse(u16),
    #[error("无法在 {addr} 上启动预览：{source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("无法监视文件变化：{0}")]
    Watch(String),
    #[error("预览服务出错：{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Output(#[from] crate::output::Refusal),
}

pub fn serve(options: ServeOptions) -> Result<(), ServeError> {
    let root = options
        .root
        .canonicalize()
        .map_err(|_| ServeError::NoRoot(options.root.clone()))?;
    let output = if options.output.is_absolute() {
        options.output.clone()
    } else {
        root.join(&options.output)
    };
    // Refused before the first build could replace it.
    crate::output::check_target(&root, &output)?;
    if !options.bind.is_loopback() {
        eprintln!(
            "注意：--bind {} 会让同一网络中的其他电脑也能打开这个预览；只在确有需要时使用。",
            options.bind
        );
    }

    let mut preview = Preview::new(root.clone(), output.clone());
    let started = Instant::now();
    let report = preview.rebuild(&Changes::Everything);
    log_rebuild(&report, started, &[]);
    let state: Shared = Arc::new(RwLock::new(Arc::new(snapshot(&preview))));
    // Search is indexed in the background: the first URL and every save come
    // first; a rebuild queued while indexing replaces the queued one.
    let indexer = spawn_indexer(state.clone());
    if let Some(job) = preview.search_job() {
        let _ = indexer.send(job);
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| match source.kind() {
                std::io::ErrorKind::AddrInUse => ServeError::PortInUse(options.port),
                _ => ServeError::Bind { addr, source },
            })?;
        let local = listener.local_addr()?;
        let base_path = state.read().expect("fresh lock").base_path.clone();
        let url = format!("http://{local}{base_path}");
        println!("预览地址：{url}");
        eprintln!("正在监视 content/、static/ 和 themes/ 的变化；按 Ctrl-C 停止。");
        if options.open {
            if let Err(e) = opener::open(&url) {
                eprintln!("无法自动打开浏览器（{e}），请手动打开上面的地址。");
            }
        }

        let livereload = LiveReloadLayer::new().custom_prefix(LIVERELOAD_PREFIX);
        let reloader = livereload.reloader();
        let watcher = watch::watch(&root, &output).map_err(ServeError::Watch)?;
        let rebuild_state = state.clone();
        std::thread::spawn(move || {
            rebuild_loop(preview, watcher, rebuild_state, reloader, indexer)
        });

        let app = http::router(state).layer(livereload);
        http::run(listener, app, http::Limits::default(), shutdown_signal()).await;
        eprintln!("预览已停止。");
        Ok(())
    })
}

fn rebuild_loop(
    mut preview: Preview,
    watcher: watch::Watcher,
    state: Shared,
    reloader: Reloader,
    indexer: std::sync::mpsc::Sender<SearchJob>,
) {
    while let Ok(mut paths) = watcher.changes.recv() {
        // Saves that arrived while the last rebuild ran join this one.
        while let Ok(more) = watcher.changes.try_recv() {
            paths.extend(more);
        }
        let started = Instant::now();
        // Open pages reload as soon as the new pages are in memory; the
        // output folder is written after.
        let mut shown = false;
        let report = preview.rebuild_after(&paths, |preview| {
            publish_snapshot(preview, &state);
            reloader.reload();
            shown = true;
        });
        if !shown || report.outcome == Outcome::Failed {
            publish_snapshot(&preview, &state);
            reloader.reload();
        }
        log_rebuild(&report, started, &paths);
        if report.outcome != Outcome::Failed {
            if let Some(job) = preview.search_job() {
                let _ = indexer.send(job);
            }
        }
    }
}

/// The background indexer: runs the latest job queued, skipping older ones,
/// and hands each new bundle to readers as soon as it is on disk.
fn spawn_indexer(state: Shared) -> std::sync::mpsc::Sender<SearchJob> {
    let (send, jobs) = std::sync::mpsc::channel::<SearchJob>();
    std::thread::spawn(move || {
        // Indexing gets its own threads, one fewer than the cores: on rayon's
        // shared pool a rebuild's rendering queued behind whole index parts
        // (8.9 s per save on a 7,000-document site), and on every core it
        // slowed the rebuild the editor is waiting for.
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(cores.saturating_sub(1).max(1))
            .thread_name(|n| format!("search-{n}"))
            .start_handler(|_| lower_priority())
            .build()
            .expect("a thread pool can be made");
        let mut parts = crate::search::PartCache::default();
        while let Ok(mut job) = jobs.recv() {
            while let Ok(newer) = jobs.try_recv() {
                job = newer;
            }
            let started = Instant::now();
            let result = pool.install(|| {
                job.run(&mut parts, |bundle| {
                    let mut current = state.write().expect("snapshot lock is never poisoned");
                    *current = Arc::new(Snapshot {
                        search: bundle.clone(),
                        pages: current.pages.clone(),
                        statics: current.statics.clone(),
                        base_path: current.base_path.clone(),
                        error_page: current.error_page.clone(),
                    });
                })
            });
            log_search(result, started);
        }
    });
    send
}

/// Makes the calling thread yield the cores to any other of the process's
/// (nice 19): the index is remade after every save, and on two cores it
/// slowed the rebuild the editor is waiting for to twice its time.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // Linux's nice value is per thread; failing leaves the default.
        let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 19);
    }
}

/// Replaces the readers' pages, keeping the search bundle the indexer last
/// published. Never takes the search lock, so a save does not wait while the
/// indexer writes a bundle to disk; the indexer replaces only the bundle,
/// under the same snapshot lock, so neither overtakes the other.
fn publish_snapshot(preview: &Preview, state: &Shared) {
    let mut current = state.write().expect("snapshot lock is never poisoned");
    let search = current.search.clone();
    *current = Arc::new(snapshot_with(preview, &search));
}

fn snapshot(preview: &Preview) -> Snapshot {
    let search = preview
        .search
        .lock()
        .expect("search lock is never poisoned");
    snapshot_with(preview, &search)
}

fn snapshot_with(preview: &Preview, search: &Arc<crate::render::FileSet>) -> Snapshot {
    let (pages, statics, base_path) = match &preview.good {
        Some(good) => (
            good.pages.clone(),
            good.statics.clone(),
            good.site.base_path().to_owned(),
        ),
        None => (Default::default(), Default::default(), "/".to_owned()),
    };
    Snapshot {
        pages,
        search: search.clone(),
        statics,
        base_path,
        error_page: preview.failure.as_deref().map(Arc::from),
    }
}

fn log_rebuild(report: &preview::Report, started: Instant, paths: &[PathBuf]) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let what = match paths {
        [] => String::new(),
        [one] => format!("{} 已修改 → ", one.display()),
        many => format!("{} 个文件已修改 → ", many.len()),
    };
    eprint!("{}", report.text);
    match report.outcome {
        Outcome::Full { files } => eprintln!("{what}已生成全部 {files} 个文件（{ms:.0} 毫秒）"),
        Outcome::Incremental { pages, written } => eprintln!(
            "{what}增量更新：重新生成 {pages} 个页面，写入 {written} 个文件（{ms:.0} 毫秒）"
        ),
        Outcome::Failed => eprintln!(
            "{what}共 {} 个错误、{} 个警告：预览显示错误页，输出目录保持上次成功的版本（{ms:.0} 毫秒）",
            report.errors, report.warnings
        ),
    }
}

fn log_search(result: Result<usize, crate::BuildError>, started: Instant) {
    match result {
        Ok(0) => {}
        Ok(written) => eprintln!(
            "搜索索引已更新：写入 {written} 个文件（{:.0} 毫秒）",
            started.elapsed().as_secs_f64() * 1000.0
        ),
        Err(error) => eprintln!("错误：{error}（搜索结果可能是旧的）"),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
