//! The command line: clap definitions and one short function per command.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{ArgAction, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::diag::{self, Diagnostics, SourceMap};
use crate::serve::ServeOptions;
use crate::{BuildOptions, scaffold};

#[derive(Debug, Parser)]
#[command(
    name = "skillpress",
    version,
    about = "技能工作公开信息静态站点生成器：把编辑写的 YAML 和 Markdown 生成为静态网站",
    after_help = "编辑指南：docs/guide/README.md（新建站点：skillpress init 目录名）"
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
        /// 显示每个阶段的用时，以及页面数、文件数和字节数
        #[arg(short, long, conflicts_with = "quiet")]
        verbose: bool,
        /// 只显示错误
        #[arg(short, long)]
        quiet: bool,
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
    /// 新建一个内容文件；需要编辑填写的地方写着“尚未填写”，填好之前 check 不会通过
    New {
        /// 类型
        #[arg(value_name = "类型")]
        kind: NewKind,
        /// slug（如 nanyang）或中文名称（会建议一个拼音 slug）
        #[arg(value_name = "名称")]
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// 上级（区域或项目）的 slug 或中文名称
        #[arg(long)]
        parent: Option<String>,
        /// 所属区域的 slug 或中文名称（品牌、文件；项目的实施范围）
        #[arg(long)]
        region: Option<String>,
    },
    /// 新建一个空站点（site.yaml、指标目录、根区域、.gitignore、CI 示例），可以直接生成
    Init {
        /// 站点目录（不存在时新建；必须是空目录）
        #[arg(value_name = "目录", default_value = ".")]
        dir: PathBuf,
        /// 根区域的中文名称，例如 河南省、三门峡市、卢氏县
        #[arg(long, default_value = "河南省")]
        region: String,
        /// 站点标题
        #[arg(long)]
        title: Option<String>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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
            verbose,
            quiet,
        } => {
            let output = output.map_or_else(|| root.join("public"), |o| root.join(o));
            let loudness = match (verbose, quiet) {
                (true, _) => Loudness::Verbose,
                (_, true) => Loudness::Quiet,
                _ => Loudness::Normal,
            };
            build(
                BuildOptions {
                    root,
                    output,
                    base_url,
                },
                loudness,
            )
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
        Command::New {
            kind,
            name,
            root,
            parent,
            region,
        } => new(
            kind,
            &name,
            &root,
            scaffold::Links {
                parent: parent.as_deref(),
                region: region.as_deref(),
            },
        ),
        Command::Init { dir, region, title } => init(&dir, &region, title.as_deref()),
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

/// How much `build` says: `-q` errors only, `-v` also each stage's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loudness {
    Quiet,
    Normal,
    Verbose,
}

fn build(options: BuildOptions, loudness: Loudness) -> ExitCode {
    let started = Instant::now();
    let mut progress = if loudness == Loudness::Quiet {
        crate::pipeline::Progress::quiet()
    } else {
        crate::pipeline::Progress::terminal()
    };
    let result = crate::build_with(&options, &mut progress);
    progress.finish();
    match result {
        Ok((checked, files)) => {
            if loudness == Loudness::Quiet {
                report_errors(&checked.diagnostics, &checked.sources);
            } else {
                report(&checked.diagnostics, &checked.sources);
            }
            if loudness == Loudness::Verbose {
                eprint!("{}", progress.table());
            }
            match files {
                Some(published) => {
                    if loudness != Loudness::Quiet {
                        eprintln!(
                            "已生成 {} 个文件到 {}（{} 毫秒）",
                            published.files,
                            options.output.display(),
                            started.elapsed().as_millis()
                        );
                    }
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

/// `build -q`: only the errors, then their count.
fn report_errors(diagnostics: &Diagnostics, sources: &SourceMap) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics
        .sorted()
        .into_iter()
        .filter(|d| d.severity == diag::Severity::Error)
    {
        let _ = writeln!(out, "{}", diag::render_text(d, sources));
    }
    if diagnostics.has_errors() {
        let _ = writeln!(out, "共 {} 个错误。", diagnostics.error_count());
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
    let colour = use_colour();
    for d in diagnostics.sorted() {
        let _ = writeln!(out, "{}", diag::render_styled(d, sources, colour));
    }
    let (errors, warnings) = (diagnostics.error_count(), diagnostics.warning_count());
    if errors + warnings > 0 {
        let _ = writeln!(out, "共 {errors} 个错误、{warnings} 个警告。");
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (no-color.org).
fn use_colour() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn serve(options: ServeOptions) -> ExitCode {
    if !options.root.join("content/site.yaml").is_file() {
        eprintln!(
            "错误：{} 不是站点目录：找不到 {}。\n\
             请用 --root 指向站点目录（其中有 content/site.yaml），或运行 `skillpress init {}` 新建一个站点。",
            options.root.display(),
            options.root.join("content/site.yaml").display(),
            options.root.display()
        );
        return ExitCode::from(2);
    }
    match crate::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("错误：{error}");
            ExitCode::from(2)
        }
    }
}

fn init(dir: &Path, region: &str, title: Option<&str>) -> ExitCode {
    scaffold_outcome(scaffold::init(dir, region, title))
}

fn new(kind: NewKind, name: &str, root: &Path, links: scaffold::Links<'_>) -> ExitCode {
    scaffold_outcome(scaffold::create(root, kind, name, links))
}

/// What `init` and `new` made, or why not (exit 1: nothing was written).
fn scaffold_outcome(result: Result<impl std::fmt::Display, impl std::fmt::Display>) -> ExitCode {
    match result {
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

// --- The command line in Chinese --------------------------------------------
// clap writes its frame (headings, usage, errors) in English; editors read
// Chinese. The help is laid out by a template with Chinese headings, and every
// clap error kind is said again in Chinese.

const HELP_TEMPLATE: &str = "\
{before-help}{about-with-newline}
用法：{usage}

{all-args}{after-help}";

/// The clap command with Chinese headings, usage lines and help/version flags.
pub fn command() -> clap::Command {
    localize(Cli::command(), "skillpress")
}

fn localize(cmd: clap::Command, path: &str) -> clap::Command {
    let positionals: Vec<String> = cmd
        .get_arguments()
        .filter(|a| a.is_positional())
        .map(|a| {
            let name = a
                .get_value_names()
                .and_then(|v| v.first())
                .map_or_else(|| a.get_id().to_string(), |v| v.to_string());
            if a.is_required_set() {
                format!("<{name}>")
            } else {
                format!("[{name}]")
            }
        })
        .collect();
    let has_subcommands = cmd.has_subcommands();
    let mut usage = format!("{path} [选项]");
    for p in &positionals {
        usage.push(' ');
        usage.push_str(p);
    }
    if has_subcommands {
        usage.push_str(" <命令>");
    }
    let mut cmd = cmd
        .help_template(HELP_TEMPLATE)
        .override_usage(usage)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a| {
            // clap would add "[default: …]" and "[possible values: …]" in English.
            let mut extra = Vec::new();
            let choices: Vec<String> = a
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect();
            if !choices.is_empty() && a.get_action().takes_values() {
                extra.push(format!("可选：{}", choices.join(" | ")));
            }
            let defaults: Vec<String> = a
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().into_owned())
                .collect();
            if !defaults.is_empty() {
                extra.push(format!("默认：{}", defaults.join(" ")));
            }
            let mut help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
            if help.is_empty() && a.get_id() == "root" {
                help = "站点根目录（其中有 content/）".to_owned();
            }
            let value_name = match a.get_id().as_str() {
                "root" | "output" => Some("目录"),
                "base_url" => Some("网址"),
                "port" => Some("端口"),
                "bind" => Some("地址"),
                "parent" => Some("上级"),
                "region" => Some("区域"),
                "title" => Some("标题"),
                _ => None,
            };
            let a = match value_name {
                Some(name) if !a.is_positional() => a.value_name(name),
                _ => a,
            };
            let help = if extra.is_empty() {
                help
            } else {
                format!("{help}（{}）", extra.join("；"))
            };
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            a.help(help)
                .hide_default_value(true)
                .hide_possible_values(true)
                .help_heading(heading)
        })
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示这份帮助")
                .help_heading("选项"),
        );
    if path == "skillpress" {
        cmd = cmd.disable_version_flag(true).arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本号")
                .help_heading("选项"),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path} {name}");
        cmd = cmd.mut_subcommand(&name, |sub| localize(sub, &sub_path));
    }
    cmd
}

/// Parses the process arguments; on a mistake prints it in Chinese and returns
/// the exit code (0 for `--help` and `--version`, 2 otherwise).
pub fn parse() -> Result<Cli, ExitCode> {
    parse_from(std::env::args_os())
}

pub fn parse_from<I, T>(args: I) -> Result<Cli, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let result = command()
        .try_get_matches_from(args)
        .and_then(|m| Cli::from_arg_matches(&m));
    result.map_err(|error| {
        use clap::error::ErrorKind;
        match error.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                let _ = error.print();
                ExitCode::SUCCESS
            }
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                let _ = error.print();
                ExitCode::from(2)
            }
            _ => {
                eprint!("{}", clap_error_in_chinese(&error));
                ExitCode::from(2)
            }
        }
    })
}

/// A clap error said in Chinese, with what to do next.
pub fn clap_error_in_chinese(error: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join("、"),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let arg = get(ContextKind::InvalidArg);
    let value = get(ContextKind::InvalidValue);
    let mut text = match error.kind() {
        ErrorKind::InvalidValue => {
            let valid = get(ContextKind::ValidValue);
            if value.is_empty() {
                format!("{arg} 后面缺少取值")
            } else if valid.is_empty() {
                format!("{arg} 的值“{value}”无效")
            } else {
                format!("{arg} 的值“{value}”无效；可选值：{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            let expected = if arg.contains("port") {
                "，应是 0 到 65535 之间的整数"
            } else if arg.contains("bind") {
                "，应是 IP 地址，例如 127.0.0.1"
            } else {
                ""
            };
            format!("{arg} 的值“{value}”格式不对{expected}")
        }
        ErrorKind::UnknownArgument => format!("无法识别的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            let cmd = get(ContextKind::InvalidSubcommand);
            format!("没有“{cmd}”这个命令；可用的命令：build、check、serve、new、init")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => {
            "缺少命令；可用的命令：build、check、serve、new、init".to_owned()
        }
        ErrorKind::ArgumentConflict => {
            format!("{arg} 不能与 {} 同时使用", get(ContextKind::PriorArg))
        }
        ErrorKind::NoEquals => format!("{arg} 的值要用 = 连接，例如 {arg}=…"),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("多余的参数“{value}”")
        }
        ErrorKind::TooFewValues => format!("{arg} 的取值太少"),
        _ => {
            let english = error.render().to_string();
            format!("命令行有误（{}）", english.trim())
        }
    };
    let suggested = [
        get(ContextKind::SuggestedArg),
        get(ContextKind::SuggestedSubcommand),
        get(ContextKind::SuggestedValue),
    ]
    .into_iter()
    .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        text.push_str(&format!("。您是否想写“{s}”？"));
    }
    let usage = get(ContextKind::Usage);
    let usage = usage.trim().trim_start_matches("Usage:").trim();
    let mut out = format!("错误：{text}\n");
    if !usage.is_empty() {
        out.push_str(&format!("\n用法：{usage}\n"));
    }
    out.push_str("\n运行 skillpress --help 查看所有命令和选项。\n");
    out
}
