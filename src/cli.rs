//! The command line: clap definitions and one short function per command.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostics, SourceMap};
use crate::serve::ServeOptions;
use crate::{BuildOptions, scaffold};

#[derive(Debug, Parser)]
#[command(
    name = "skillpress",
    version,
    about = "技能工作公开信息静态站点生成器 / static reporting-site generator"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查内容并生成站点到 public/（出错时保留原有的 public/）
    Build {
        /// 站点根目录（其中有 content/）
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 输出目录，相对于 --root
        #[arg(long)]
        output: Option<PathBuf>,
        /// 覆盖 site.yaml 中的 base_url，例如 https://example.org/skills/
        #[arg(long)]
        base_url: Option<String>,
    },
    /// 只检查内容，不生成文件；有错误时退出码为 1
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 把警告也当作错误
        #[arg(long)]
        strict: bool,
        /// 列出所有站外链接及其所在文件和行（只列出，不访问）
        #[arg(long)]
        external: bool,
    },
    /// 本地预览：生成站点并在 127.0.0.1 上提供浏览，保存文件后自动重新生成并刷新浏览器
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 端口；0 表示自动选择一个空闲端口
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// 监听地址；默认只允许本机访问
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// 输出目录，相对于 --root（保存上次成功生成的站点）
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// 启动后用默认浏览器打开
        #[arg(long)]
        open: bool,
    },
    /// 新建一个内容文件
    New {
        /// 类型
        kind: NewKind,
        /// slug（如 nanyang）或中文名称（会建议一个拼音 slug）
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 导入公文（.docx、.txt、.html）：识别元数据、转为 Markdown 正文并提出待确认的数字
    Import {
        /// 要导入的文件
        file: PathBuf,
        /// 文件类型：policy | work-plan | proposal-reply | notice | report（默认由标题判断）
        #[arg(long)]
        kind: Option<String>,
        /// 区域 slug（默认由发文机关和正文判断）
        #[arg(long)]
        region: Option<String>,
        /// 新文件的 slug（默认由区域和文号、提案号生成）
        #[arg(long)]
        slug: Option<String>,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// 从已有文件的正文中找出数字，输出待确认的 figures 条目（只输出，不改文件）
    Extract {
        /// content/documents/ 下的文件路径或 slug
        doc: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    Region,
    Program,
    Brand,
    Document,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
        } => {
            let output = output.map_or_else(|| root.join("public"), |o| root.join(o));
            build(BuildOptions {
                root,
                output,
                base_url,
            })
        }
        Command::Check {
            root,
            strict,
            external,
        } => check(&root, strict, external),
        Command::Serve {
            root,
            port,
            bind,
            output,
            open,
        } => serve(ServeOptions {
            root,
            output,
            bind,
            port,
            open,
        }),
        Command::New { kind, name, root } => new(kind, &name, &root),
        Command::Import {
            file,
            kind,
            region,
            slug,
            root,
        } => crate::import::cli::import(&root, &file, kind, region, slug),
        Command::Extract { doc, root } => crate::import::cli::extract(&root, &doc),
    }
}

fn build(options: BuildOptions) -> ExitCode {
    let started = Instant::now();
    match crate::build(&options) {
        Ok((checked, files)) => {
            report(&checked.diagnostics, &checked.sources);
            match files {
                Some(files) => {
                    eprintln!(
                        "已生成 {} 个文件到 {}（{} 毫秒）",
                        files.len(),
                        options.output.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                None => {
                    eprintln!(
                        "内容有错误，未生成站点；{} 保持原样。",
                        options.output.display()
                    );
                    ExitCode::from(1)
                }
            }
        }
        Err(error) => {
            eprintln!("错误：{error}");
            ExitCode::from(2)
        }
    }
}

fn check(root: &Path, strict: bool, external: bool) -> ExitCode {
    let mut checked = match crate::check(root) {
        Ok(checked) => checked,
        Err(error) => {
            eprintln!("错误：{error}");
            return ExitCode::from(2);
        }
    };
    if strict {
        checked.diagnostics.promote_warnings();
    }
    report(&checked.diagnostics, &checked.sources);
    if external {
        list_external(&checked);
    }
    if checked.diagnostics.has_errors() {
        ExitCode::from(1)
    } else {
        if let Some(site) = &checked.site {
            eprintln!(
                "检查通过：{} 个区域、{} 个项目、{} 个品牌、{} 个文件、{} 个数字。",
                site.regions.len(),
                site.programs.len(),
                site.brands.len(),
                site.documents.len(),
                site.figures.len()
            );
        }
        ExitCode::SUCCESS
    }
}

/// `check --external`: every link that leaves the site, with the pages that
/// carry it and the file:line where an editor wrote it. Printed to stdout, one
/// URL per line first, so the list can be piped into a link checker.
fn list_external(checked: &crate::Checked) {
    let Some(files) = &checked.rendered else {
        eprintln!("内容有错误，无法列出站外链接。");
        return;
    };
    let Some(site) = &checked.site else { return };
    let links = crate::render::links::external(files, site);
    eprintln!("站外链接共 {} 个（只列出，未访问）：", links.len());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (url, found) in &links {
        let _ = writeln!(out, "{url}");
        for span in &found.written_at {
            let (line, col) = checked.sources.line_col(span.file, span.start);
            let _ = writeln!(
                out,
                "    写在 {}:{line}:{col}",
                checked.sources.name(span.file)
            );
        }
        let pages: Vec<&str> = found
            .pages
            .iter()
            .map(|p| p.trim_end_matches("index.html"))
            .collect();
        let shown = pages
            .iter()
            .take(5)
            .map(|p| format!("/{p}"))
            .collect::<Vec<_>>()
            .join("、");
        let more = if pages.len() > 5 {
            format!(" 等 {} 个页面", pages.len())
        } else {
            String::new()
        };
        let _ = writeln!(out, "    出现在 {shown}{more}");
    }
}

/// Prints every diagnostic, then a count, to stderr.
pub fn report(diagnostics: &Diagnostics, sources: &SourceMap) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics.sorted() {
        let _ = writeln!(out, "{}", diag::render_text(d, sources));
    }
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    if errors + warnings > 0 {
        let _ = writeln!(out, "共 {errors} 个错误、{warnings} 个警告。");
    }
}

fn serve(options: ServeOptions) -> ExitCode {
    match crate::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("错误：{error}");
            ExitCode::from(2)
        }
    }
}

fn new(kind: NewKind, name: &str, root: &Path) -> ExitCode {
    match scaffold::create(root, kind, name) {
        Ok(outcome) => {
            eprintln!("{outcome}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("错误：{error}");
            ExitCode::from(1)
        }
    }
}
