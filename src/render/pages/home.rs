use super::*;

/// What `index.html` sees.
#[derive(Serialize)]
pub struct HomeContext {
    /// The takeaway, one paragraph per sentence (see [`story`]).
    pub story: Vec<Vec<Piece>>,
    pub headline: Vec<FigureRow>,
    pub root: Link,
    pub latest: Vec<DocumentItem>,
    pub brands: Vec<BrandItem>,
    pub regions: Vec<RegionItem>,
    pub programs: Vec<ProgramKey>,
    /// How many programs /programs/ lists (the home page shows those with a number).
    pub program_total: usize,
    /// (what, how many) for the counts line.
    pub counts: Vec<(&'static str, usize)>,
    pub charts: Vec<ChartView>,
    pub progress: Vec<ChartView>,
    pub map: Vec<ChartView>,
}

impl Renderer<'_> {
    pub(super) fn home(&self) -> Out {
        let site = self.site;
        let views = self.views();
        let root = site.root;
        let all_docs: Vec<DocId> = (0..site.documents.len()).map(DocId).collect();
        let mut latest = views.documents_sorted(&all_docs);
        latest.truncate(6);
        let (charts, mut extra) = split_charts(
            self.main_program()
                .map(|p| self.program_children_charts(p))
                .unwrap_or_default(),
        );
        let progress = pick::target_actual_chart(
            site,
            &self.urls,
            "home-target-actual",
            &format!("{}：目标完成情况", site.region(root).name),
            &site.region(root).figures,
            true,
        );
        let (progress, more) = split_charts(progress.into_iter().collect());
        extra.extend(more);
        let (map, more) = split_charts(pick::henan_map(site, &self.urls).into_iter().collect());
        extra.extend(more);
        let context = HomeContext {
            story: story(site, &views, !progress.is_empty()),
            headline: self.headline_rows(),
            root: views.region_link(root),
            latest,
            brands: (0..site.brands.len())
                .map(|i| views.brand_item(BrandId(i)))
                .collect(),
            regions: site
                .region(root)
                .children
                .iter()
                .map(|&c| views.region_item(c, 0))
                .collect(),
            // Programs with a number worth reading (a target, or an
            // achievement with a time), in file order: no card says only "N 个数字".
            programs: (0..site.programs.len())
                .filter_map(|i| {
                    let id = ProgramId(i);
                    let key = program_key(site, id)?;
                    let p = site.program(id);
                    Some(ProgramKey {
                        name: p.name.clone(),
                        url: self.urls.program(p),
                        label: key_label(site, key),
                        number: piece_for(site, &views, key, &value_label(site.figure(key))),
                    })
                })
                .collect(),
            program_total: site.programs.len(),
            counts: vec![
                ("区域", site.regions.len()),
                ("项目", site.programs.len()),
                ("品牌", site.brands.len()),
                ("文件", site.documents.len()),
                ("数字", site.figures.len()),
            ],
            charts,
            progress,
            map,
        };
        let description = site
            .description
            .clone()
            .unwrap_or_else(|| format!("{}：技能培训工作的目标、成效与原始文件", site.title));
        Out {
            path: "index.html".into(),
            template: "index.html",
            page: self.page(&site.title, description, "", "", vec![]),
            context: to_context(&context),
            extra,
        }
    }

    /// The home page figures: `headline` of site.yaml, or the root region's
    /// figures of the latest year (DESIGN.md).
    pub(super) fn headline_rows(&self) -> Vec<FigureRow> {
        let site = self.site;
        let views = self.views();
        let ids: Vec<FigureId> = if site.headline.is_empty() {
            let root = site.region(site.root);
            let latest = root
                .figures
                .iter()
                .filter(|&&f| compare::eligible(site.figure(f)).is_ok())
                .filter_map(|&f| site.figure(f).time.year())
                .max();
            // The region's own totals: program and brand figures have their own pages.
            root.figures
                .iter()
                .copied()
                .filter(|&f| {
                    let fig = site.figure(f);
                    // Never a standard, a subject's figure or a vague time (`model::compare`).
                    compare::eligible(fig).is_ok()
                        && fig.time.year() == latest
                        && fig.program.is_none()
                        && fig.brand.is_none()
                })
                .collect()
        } else {
            site.headline
                .iter()
                .filter_map(|h| {
                    site.region(h.region).figures.iter().copied().find(|&f| {
                        let fig = site.figure(f);
                        fig.metric == h.metric
                            && compare::eligible(fig).is_ok()
                            && h.kind.is_none_or(|k| fig.kind == k)
                            && h.year.is_none_or(|y| fig.time.year() == Some(y))
                    })
                })
                .collect()
        };
        ids.into_iter()
            .take(12)
            .map(|id| views.figure_row(id))
            .collect()
    }
}

/// A part of a story sentence: text, or a number linked to its source.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Piece {
    pub text: String,
    pub number: Option<StoryNumber>,
}

/// A number in a generated sentence, with what a test needs to find its figure.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct StoryNumber {
    /// The document page at the highlighted quote.
    pub url: String,
    pub quote: String,
    pub region: String,
    pub metric: String,
    pub kind: &'static str,
    pub time: String,
}

/// A program on the home page with its key number.
#[derive(Serialize)]
pub struct ProgramKey {
    pub name: String,
    pub url: String,
    /// What the number is: 2025年目标：职业技能培训
    pub label: String,
    pub number: Piece,
}

fn text(t: impl Into<String>) -> Piece {
    Piece {
        text: t.into(),
        number: None,
    }
}

fn piece_for(site: &Site, views: &Views<'_>, id: FigureId, shown: &str) -> Piece {
    let f = site.figure(id);
    let row = views.figure_row(id);
    Piece {
        text: shown.to_owned(),
        number: Some(StoryNumber {
            url: row.source_url,
            quote: f.quote.clone(),
            region: site.region(f.region).slug.clone(),
            metric: site.metric(f.metric).id.clone(),
            kind: kind_slug(f.kind),
            time: f.time_label(),
        }),
    }
}

/// When a target is due, as the source says it; `None` when it names no
/// year (a target is never given its document's date as a year).
fn target_time(f: &Figure) -> Option<String> {
    match f.time {
        Time::Year(y) => Some(format!("{y}年")),
        Time::Period(a, b) => Some(format!("{a}—{b}年")),
        Time::AsOf(d) => Some(format!("到{}年{}月{}日", d.year(), d.month(), d.day())),
        Time::Since(..) | Time::Vague(_) => Some(f.time_label()),
        Time::DocDate(_) | Time::Undated => None,
    }
}

/// A figure that is the region's own (not a program's, brand's or subject's)
/// and may stand for it (`compare::eligible`, apart from time: a vague span is
/// reported in the source's words, never made precise).
fn stands_for_region(f: &Figure) -> bool {
    !matches!(
        compare::eligible(f),
        Err(compare::Reason::Standard | compare::Reason::Subject(_))
    )
}

/// The source named after a number: （据发文机关《标题》，成文日期）; without
/// the issuer where the sentence already names whose number it is.
fn source_words(site: &Site, f: &Figure, issuer: bool) -> String {
    let d = site.document(f.document);
    let date = match d.date {
        Some(d) => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        None => "未注明成文日期".to_owned(),
    };
    format!(
        "（据{}《{}》，{date}）",
        d.issuer.as_deref().filter(|_| issuer).unwrap_or(""),
        d.title
    )
}

/// The home page's takeaway, computed from the model:
///
/// 1. what the root region set out to do: its own targets, each with the year
///    the source gives (or 未写明年份), grouped by document;
/// 2. what has been reported: the root's own achievements if any, else one
///    achievement per child region, each named as that region's (a city's
///    number never stands for the province), with its time and source;
/// 3. whether target and achievement can be compared (`has_progress`: a
///    progress chart follows), and if not, why.
pub fn story(site: &Site, views: &Views<'_>, has_progress: bool) -> Vec<Vec<Piece>> {
    let root_id = site.root;
    let root = site.region(root_id);
    let own = |f: &Figure| f.program.is_none() && f.brand.is_none() && stands_for_region(f);
    let mut paragraphs = Vec::new();

    // 1. Targets, grouped by (document, time words), in figure order.
    let targets: Vec<FigureId> = root
        .figures
        .iter()
        .copied()
        .filter(|&i| {
            let f = site.figure(i);
            f.kind == FigureKind::Target && own(f)
        })
        .collect();
    if !targets.is_empty() {
        // Targets of one document and one stated time share a clause.
        type Clause = (DocId, Option<String>);
        let mut groups: Vec<(Clause, Vec<FigureId>)> = Vec::new();
        for &i in &targets {
            let f = site.figure(i);
            let k = (f.document, target_time(f));
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, list)) => list.push(i),
                None => groups.push((k, vec![i])),
            }
        }
        let mut p = vec![text(format!("{}提出的目标：", root.name))];
        for (n, ((_, time), ids)) in groups.iter().enumerate() {
            if n > 0 {
                p.push(text("；"));
            }
            p.push(text(match time {
                Some(t) => t.clone(),
                None => "（原文未写明年份）".to_owned(),
            }));
            for (j, &i) in ids.iter().enumerate() {
                let f = site.figure(i);
                let sep = if j == 0 { "" } else { "、" };
                p.push(text(format!("{sep}{}", site.metric(f.metric).name)));
                p.push(piece_for(site, views, i, &value_label(f)));
            }
            p.push(text(source_words(site, site.figure(ids[0]), true)));
        }
        p.push(text("。"));
        paragraphs.push(p);
    }

    // 2. Achievements: the root's own, else one per child region. Numbers
    // in the targets' units (people trained) say most about the targets.
    let target_units: Vec<&str> = targets
        .iter()
        .map(|&i| site.metric(site.figure(i).metric).unit.as_str())
        .collect();
    let reported = |region: RegionId| -> Option<FigureId> {
        site.region(region)
            .figures
            .iter()
            .copied()
            .filter(|&i| {
                let f = site.figure(i);
                f.kind == FigureKind::Actual
                    && f.subject.is_none()
                    && stands_for_region(f)
                    && f.time != Time::Undated
            })
            // A time on the axis before a vague span; the targets' units
            // first; the region's own total before a program's; file order.
            .min_by_key(|&i| {
                let f = site.figure(i);
                (
                    matches!(f.time, Time::Vague(_)),
                    !target_units.contains(&site.metric(f.metric).unit.as_str()),
                    f.program.is_some() || f.brand.is_some(),
                    i,
                )
            })
    };
    let achievement = |p: &mut Vec<Piece>, region: RegionId, id: FigureId| {
        let f = site.figure(id);
        let mut what = site.metric(f.metric).name.clone();
        if let Some(prog) = f.program {
            let name = &site.program(prog).name;
            // 企业新型学徒制培训 needs no （企业新型学徒制）.
            if !what.contains(name.as_str()) {
                what = format!("{what}（{name}）");
            }
        }
        p.push(text(format!(
            "{}{}{}",
            site.region(region).name,
            f.time_label(),
            what
        )));
        p.push(piece_for(site, views, id, &value_label(f)));
        p.push(text(source_words(site, f, false)));
    };
    let root_actual = root.figures.iter().any(|&i| {
        let f = site.figure(i);
        f.kind == FigureKind::Actual && stands_for_region(f)
    });
    if let Some(id) = reported(root_id) {
        let mut p = vec![text(format!("{}已报告的完成情况：", root.name))];
        achievement(&mut p, root_id, id);
        p.push(text("。"));
        paragraphs.push(p);
    } else {
        let cities: Vec<(RegionId, FigureId)> = root
            .children
            .iter()
            .filter_map(|&c| reported(c).map(|f| (c, f)))
            .collect();
        if !cities.is_empty() {
            let names: Vec<&str> = cities
                .iter()
                .map(|&(c, _)| site.region(c).name.as_str())
                .collect();
            let mut p = vec![text(format!(
                "已报告的完成数来自{}的文件，是这些地方自己的数字，不代表{}：",
                names.join("、"),
                root.name
            ))];
            for (n, &(c, id)) in cities.iter().enumerate() {
                if n > 0 {
                    p.push(text("；"));
                }
                achievement(&mut p, c, id);
            }
            p.push(text("。"));
            paragraphs.push(p);
        }
    }

    // 3. Progress: only where a target and an achievement really match.
    if !targets.is_empty() && !has_progress {
        paragraphs.push(vec![text(if root_actual {
            format!(
                "{}已报告的完成数与目标的指标或时间不一致，本站不计算目标完成进度。",
                root.name
            )
        } else {
            format!(
                "本站收录的文件中还没有{}全省（全域）的完成数，因此不计算目标完成进度。",
                root.name
            )
        })]);
    }
    paragraphs
}

/// A program's key number: its first target (its own, comparable), else its
/// first achievement with a time; `None` when it has neither.
fn program_key(site: &Site, id: ProgramId) -> Option<FigureId> {
    let figures = &site.program(id).figures;
    let pick = |kind: FigureKind| {
        figures.iter().copied().find(|&i| {
            let f = site.figure(i);
            f.kind == kind && compare::eligible(f).is_ok() && f.brand.is_none()
        })
    };
    pick(FigureKind::Target).or_else(|| pick(FigureKind::Actual))
}

/// "2025年目标：职业技能培训" (the number follows), with the region when it is not the root's.
fn key_label(site: &Site, id: FigureId) -> String {
    let f = site.figure(id);
    let whose = if f.region == site.root {
        String::new()
    } else {
        site.region(f.region).name.clone()
    };
    let when = match f.kind {
        FigureKind::Target => {
            target_time(f).map_or_else(|| "目标".to_owned(), |t| format!("{t}目标"))
        }
        _ => format!("{}完成", f.time_label()),
    };
    format!("{whose}{when}：{}", site.metric(f.metric).name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The minimal fixture site with `documents` (slug, text) added.
    fn site_with(documents: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = crate::test_fixtures::site_from(&["good/minimal"]);
        for (slug, text) in documents {
            std::fs::write(
                dir.path().join(format!("content/documents/{slug}.md")),
                text,
            )
            .unwrap();
        }
        let checked = crate::validate(dir.path());
        let site = checked.site.expect("fixture resolves");
        (dir, site)
    }

    /// The province's plan: a 2025 target and a target whose year the text does not give.
    const PLAN: &str = "---\ntitle: 全省工作方案\nkind: work-plan\nissuer: 省人社厅\nregion: henan\ndate: 2024-12-30\nfigures:\n  - metric: enterprise_training\n    kind: target\n    value: 50万\n    year: 2025\n    quote: 2025年全省企业职工技能培训50万人\n  - metric: high_skill_share\n    kind: target\n    value: 35%\n    quote: 高技能人才占比达到35%\n---\n2025年全省企业职工技能培训50万人。\n\n高技能人才占比达到35%。\n";

    fn sentences(site: &Site) -> Vec<Vec<Piece>> {
        let urls = Urls::new(&site.base_url, site.base_path());
        let views = Views { site, urls: &urls };
        story(site, &views, false)
    }

    fn plain(p: &[Piece]) -> String {
        p.iter().map(|x| x.text.as_str()).collect()
    }

    /// The text from the start of the clause (after the last "；" or "：")
    /// up to the number `shown`.
    fn before<'a>(p: &'a [Piece], shown: &str) -> (String, &'a StoryNumber) {
        let i = p
            .iter()
            .position(|x| x.number.is_some() && x.text == shown)
            .unwrap_or_else(|| panic!("no number {shown} in {}", plain(p)));
        let head: String = p[..i].iter().map(|x| x.text.as_str()).collect();
        let clause = head.rsplit(['；', '：']).next().unwrap().to_owned();
        (clause, p[i].number.as_ref().unwrap())
    }

    #[test]
    fn targets_keep_their_year_and_a_yearless_target_gets_none() {
        let (_dir, site) = site_with(&[("plan", PLAN)]);
        let story = sentences(&site);
        let first = &story[0];
        assert!(
            plain(first).starts_with("河南省提出的目标："),
            "{}",
            plain(first)
        );
        let (clause, n) = before(first, "50万人");
        assert!(clause.starts_with("2025年"), "{clause}");
        assert_eq!(
            (n.region.as_str(), n.kind, n.time.as_str()),
            ("henan", "target", "2025年")
        );
        // The plan is dated 2024-12-30 and has a 2025 target: neither year may
        // be given to the target whose quote names none.
        let (clause, n) = before(first, "35%");
        assert!(clause.starts_with("（原文未写明年份）"), "{clause}");
        assert!(
            !clause.contains("2024年") && !clause.contains("2025年"),
            "{clause}"
        );
        assert_eq!(n.kind, "target");
        assert!(plain(first).contains("据省人社厅《全省工作方案》，2024年12月30日"));
    }

    #[test]
    fn a_citys_achievement_is_named_as_the_citys_never_the_provinces() {
        let (_dir, site) = site_with(&[("plan", PLAN)]);
        let story = sentences(&site);
        // The fixture's only achievements are 南阳's (nanyang-reply.md).
        let reported = story
            .iter()
            .find(|p| {
                p.iter()
                    .any(|x| x.number.as_ref().is_some_and(|n| n.kind == "actual"))
            })
            .expect("an achievement sentence");
        let text = plain(reported);
        assert!(text.starts_with("已报告的完成数来自南阳市的文件"), "{text}");
        assert!(text.contains("不代表河南省"), "{text}");
        assert!(!text.contains("河南省已报告"), "{text}");
        for piece in reported {
            if let Some(n) = &piece.number {
                assert_eq!(n.region, "nanyang");
                let (clause, _) = before(reported, &piece.text);
                assert!(clause.starts_with("南阳市"), "{clause}");
                // Recomputed from the model: the figure behind the link.
                let f = site
                    .figures
                    .iter()
                    .find(|f| f.quote == n.quote)
                    .expect("the linked quote is a figure's");
                assert_eq!(value_label(f), piece.text);
                assert_eq!(f.time_label(), n.time);
                assert!(clause.contains(&n.time), "{clause}");
            }
        }
        // Same metric as the province's target, but a city's number: no progress.
        let last = plain(story.last().unwrap());
        assert!(last.contains("还没有河南省全省"), "{last}");
        // The province's own achievement changes the sentence to the province's.
        let own = "---\ntitle: 全省总结\nkind: report\nissuer: 省人社厅\nregion: henan\ndate: 2025-06-30\nfigures:\n  - metric: enterprise_training\n    value: 20万\n    year: 2025\n    quote: 上半年全省企业职工技能培训20万人\n---\n上半年全省企业职工技能培训20万人。\n";
        let (_dir, site) = site_with(&[("plan", PLAN), ("own", own)]);
        let story = sentences(&site);
        let text = plain(&story[1]);
        assert!(
            text.starts_with("河南省已报告的完成情况：河南省2025年"),
            "{text}"
        );
        assert!(!text.contains("南阳"), "{text}");
    }

    #[test]
    fn without_targets_there_is_no_target_sentence() {
        let (_dir, site) = site_with(&[]);
        let story = sentences(&site);
        assert!(story.iter().all(|p| !plain(p).contains("目标")));
    }
}
