//! `cargo bench --bench build`: the default site's build, median of 5, with
//! and without the search index (the same stages minus `search::index`), and
//! the index's size on disk.

use std::path::Path;
use std::time::Instant;

use skillpress::{BuildOptions, output, render, search};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: out.path().join("with"),
        base_url: None,
    };

    let with: Vec<f64> = (0..5)
        .map(|_| {
            time(|| {
                skillpress::build(&options)
                    .unwrap()
                    .1
                    .expect("the default site builds");
            })
        })
        .collect();
    let without: Vec<f64> = (0..5)
        .map(|_| {
            time(|| {
                let checked = skillpress::check(root).unwrap();
                let site = checked.site.as_ref().unwrap();
                let theme = render::theme::Theme::load(root, site.theme.as_deref()).unwrap();
                output::publish(
                    checked.rendered.as_ref().unwrap(),
                    root,
                    &out.path().join("without"),
                    &theme,
                )
                .unwrap();
            })
        })
        .collect();
    let pages = skillpress::check(root).unwrap().rendered.unwrap();
    let index: Vec<f64> = (0..5)
        .map(|_| time(|| drop(search::index(&pages).unwrap())))
        .collect();
    let bundle = search::index(&pages).unwrap();
    let bytes: usize = bundle.iter().map(|(_, b)| b.len()).sum();

    println!(
        "build with search:    median {:.0} ms of 5 {:?}",
        median(&with),
        rounded(&with)
    );
    println!(
        "build without search: median {:.0} ms of 5 {:?}",
        median(&without),
        rounded(&without)
    );
    println!("search::index alone:  median {:.0} ms of 5", median(&index));
    println!(
        "search index: {} files, {:.1} KiB",
        bundle.len(),
        bytes as f64 / 1024.0
    );
}

fn time(f: impl FnOnce()) -> f64 {
    let started = Instant::now();
    f();
    started.elapsed().as_secs_f64() * 1000.0
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

fn rounded(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.round() as u64).collect()
}
