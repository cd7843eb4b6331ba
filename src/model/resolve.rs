//! Raw records → [`Site`]: every check that needs more than one file (parents,
//! the region tree, references, duplicate document numbers), then figures.

use std::cell::Cell;
use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::schema::closest;
use crate::content::{Collection, RawContent};
use crate::diag::{Code, Diagnostic, Diagnostics, Span, Spanned};

use super::figures;
use super::*;

/// Slug → index for one collection, reporting unknown references with a suggestion.
pub(super) struct Index<'a> {
    what: &'static str,
    collection: &'static str,
    map: HashMap<&'a str, usize>,
    /// Slugs whose file exists but had errors of its own.
    unreadable: HashSet<&'a str>,
    /// Set when any lookup failed: the site is then not built (no placeholder ids).
    missed: Cell<bool>,
    /// Chinese names (name, short name, aliases) → slug, to recognise a name
    /// written where an id belongs.
    names: Vec<(&'a str, &'a str)>,
}

impl<'a> Index<'a> {
    pub(super) fn new(
        what: &'static str,
        collection: &'static str,
        slugs: impl Iterator<Item = &'a str>,
    ) -> Self {
        Index {
            what,
            collection,
            map: slugs.enumerate().map(|(i, s)| (s, i)).collect(),
            unreadable: HashSet::new(),
            missed: Cell::new(false),
            names: Vec::new(),
        }
    }

    fn with_unreadable(
        mut self,
        unreadable: &'a std::collections::BTreeSet<(Collection, String)>,
        collection: Collection,
    ) -> Self {
        self.unreadable = unreadable
            .iter()
            .filter(|(c, _)| *c == collection)
            .map(|(_, s)| s.as_str())
            .collect();
        self
    }

    pub(super) fn get(
        &self,
        reference: &Spanned<String>,
        field: &str,
        sink: &mut Diagnostics,
    ) -> Option<usize> {
        if let Some(&i) = self.map.get(reference.value.as_str()) {
            return Some(i);
        }
        self.missed.set(true);
        if self.unreadable.contains(reference.value.as_str()) {
            return None;
        }
        sink.push(
            Diagnostic::error(
                Code::UnknownReference,
                reference.span,
                format!("{}“{}”不存在", self.what, reference.value),
            )
            .label(format!("找不到这个{}", self.what))
            .help(self.help_for(&reference.value, field)),
        );
        None
    }

    /// Whether every lookup so far found its target.
    pub(super) fn all_found(&self) -> bool {
        !self.missed.get()
    }
}

// What the editor most likely meant by an unknown reference: the id of a
// known name, a near slug, or the file (or metrics.yaml entry) to create.
impl<'a> Index<'a> {
    fn with_names(mut self, names: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        self.names = names.filter(|(name, _)| !name.is_empty()).collect();
        self
    }

    fn is_metrics(&self) -> bool {
        self.collection == "metrics.yaml"
    }

    /// `(name, slug)` of a known entity called `text`, exactly or, failing
    /// that, all whose name contains it or is contained in it.
    fn by_name(&self, text: &str) -> Vec<(&'a str, &'a str)> {
        let text = text.trim();
        let mut exact: Vec<(&str, &str)> = self
            .names
            .iter()
            .copied()
            .filter(|(n, _)| *n == text)
            .collect();
        if exact.is_empty() && text.chars().count() >= 2 {
            exact = self
                .names
                .iter()
                .copied()
                .filter(|(n, _)| n.contains(text) || text.contains(n))
                .collect();
        }
        exact.sort_by_key(|(_, slug)| *slug);
        exact.dedup_by_key(|(_, slug)| *slug);
        exact
    }

    fn help_for(&self, text: &str, field: &str) -> String {
        let id_word = if self.is_metrics() {
            "指标编号（metrics.yaml 中冒号前的英文）"
        } else {
            " slug（文件名，不含扩展名）"
        };
        if crate::content::slug::has_han(text) {
            let found = self.by_name(text);
            if let [(name, slug)] = found.as_slice() {
                return format!(
                    "“{name}”是{}“{slug}”的名称；这里要写{id_word}：改为 `{field}: {slug}`",
                    self.what
                );
            }
            if !found.is_empty() {
                let list: Vec<String> = found
                    .iter()
                    .take(6)
                    .map(|(name, slug)| format!("`{slug}`（{name}）"))
                    .collect();
                return format!(
                    "这里要写{id_word}。名称相近的{}：{}",
                    self.what,
                    list.join("、")
                );
            }
            let slug = crate::content::slug::suggest_for_name(text);
            return if self.is_metrics() {
                let id = slug.replace('-', "_");
                format!(
                    "metrics.yaml 中没有名为“{text}”的指标；这里要写{id_word}。若是新指标，在 metrics.yaml 中添加一项，例如 `{id}: {{name: {text}, unit: 人}}`（编号由拼音自动转写，可改为英文），然后写 `{field}: {id}`"
                )
            } else {
                format!(
                    "还没有名为“{text}”的{what}；这里要写{id_word}。若是新{what}，请新建 {}{slug}.{}（slug 由“{text}”自动转写为拼音，请核对读音，例如 长垣 应为 changyuan），可运行 `skillpress new {} {text}{}`，然后写 `{field}: {slug}`",
                    self.collection,
                    self.extension(),
                    self.new_kind(),
                    if self.collection == "regions/" {
                        " --parent 上级区域"
                    } else {
                        ""
                    },
                    what = self.what,
                )
            };
        }
        let mut candidates: Vec<&str> = self.map.keys().copied().collect();
        candidates.sort_unstable();
        if let Some(near) = closest(text, &candidates) {
            let name = self
                .names
                .iter()
                .find(|(_, s)| *s == near)
                .map(|(n, _)| format!("（{n}）"))
                .unwrap_or_default();
            return format!("您是否想写 `{near}`{name}？");
        }
        let example = candidates
            .first()
            .map(|c| format!("，例如 `{c}`"))
            .unwrap_or_default();
        if self.is_metrics() {
            format!(
                "`{field}` 应写 metrics.yaml 中已有的指标编号{example}；若是新指标，请在 metrics.yaml 中添加一项 `{text}: {{name: …, unit: …}}`"
            )
        } else {
            format!(
                "`{field}` 应写 {} 中某个文件的文件名（不含扩展名）{example}；若是新{}，请先新建 {}{text}.{}",
                self.collection,
                self.what,
                self.collection,
                self.extension()
            )
        }
    }

    fn extension(&self) -> &'static str {
        if self.collection == "regions/" {
            "yaml"
        } else {
            "md"
        }
    }

    fn new_kind(&self) -> &'static str {
        match self.collection {
            "regions/" => "region",
            "programs/" => "program",
            "brands/" => "brand",
            _ => "document",
        }
    }
}

/// Resolves every reference to an `Option` while checking (so all problems are
/// reported), and builds the [`Site`] only when all of them resolved and the
/// region and program trees are sound: later stages never meet a placeholder.
pub fn resolve(raw: RawContent, sink: &mut Diagnostics) -> Option<Site> {
    resolve_cached(raw, sink, None)
}

/// [`resolve`], reusing where quotes were found in documents that did not
/// change (`serve`).
pub fn resolve_cached(
    mut raw: RawContent,
    sink: &mut Diagnostics,
    quotes: Option<&mut super::QuoteCache>,
) -> Option<Site> {
    // Region ids follow administrative order, so every list, table and chart
    // keyed by region reads 郑州, 开封, 洛阳… without sorting again.
    let order = administrative_order(&raw.regions);
    let mut slots: Vec<Option<_>> = std::mem::take(&mut raw.regions)
        .into_iter()
        .map(Some)
        .collect();
    raw.regions = order.iter().filter_map(|&i| slots[i].take()).collect();
    let regions_index = Index::new(
        "区域",
        "regions/",
        raw.regions.iter().map(|r| r.slug.value.as_str()),
    )
    .with_unreadable(&raw.unreadable, Collection::Regions)
    .with_names(raw.regions.iter().flat_map(|r| {
        std::iter::once(r.name.as_str())
            .chain(r.short_name.as_deref())
            .chain(r.aliases.iter().map(String::as_str))
            .map(|n| (n, r.slug.value.as_str()))
    }));
    let programs_index = Index::new(
        "项目",
        "programs/",
        raw.programs.iter().map(|p| p.slug.value.as_str()),
    )
    .with_unreadable(&raw.unreadable, Collection::Programs)
    .with_names(
        raw.programs
            .iter()
            .map(|p| (p.name.as_str(), p.slug.value.as_str())),
    );
    let brands_index = Index::new(
        "品牌",
        "brands/",
        raw.brands.iter().map(|b| b.slug.value.as_str()),
    )
    .with_unreadable(&raw.unreadable, Collection::Brands)
    .with_names(
        raw.brands
            .iter()
            .map(|b| (b.name.as_str(), b.slug.value.as_str())),
    );
    let metrics_index = Index::new(
        "指标",
        "metrics.yaml",
        raw.metrics.iter().map(|m| m.id.value.as_str()),
    )
    .with_names(
        raw.metrics
            .iter()
            .map(|m| (m.name.as_str(), m.id.value.as_str())),
    );

    let (regions, regions_sound) = resolve_regions(&raw, &regions_index, sink);
    let root = find_root(&raw, sink);
    let (programs, programs_sound) =
        resolve_programs(&raw, &regions_index, &programs_index, &brands_index, sink);
    let brand_regions: Vec<Option<RegionId>> = raw
        .brands
        .iter()
        .map(|b| regions_index.get(&b.region, "region", sink).map(RegionId))
        .collect();
    let mut metrics: Vec<Metric> = raw
        .metrics
        .iter()
        .map(|m| Metric {
            id: m.id.value.clone(),
            name: m.name.clone(),
            name_en: m.name_en.clone(),
            unit: m.unit.clone(),
            description: m.description.clone(),
            max: m.max,
            additive: m
                .additive
                .unwrap_or_else(|| super::additive_by_default(&m.name, &m.unit)),
            figures: Vec::new(),
        })
        .collect();
    check_doc_numbers(&raw, sink);
    for (file, body) in raw
        .programs
        .iter()
        .map(|p| (p.slug.span.file, &p.body))
        .chain(raw.brands.iter().map(|b| (b.slug.span.file, &b.body)))
    {
        crate::content::markdown::lint(&body.text, file, body.offset, sink);
    }

    let headline: Option<Vec<Headline>> = raw
        .site
        .iter()
        .flat_map(|site| &site.headline)
        .map(|h| {
            let metric = metrics_index.get(&h.metric, "metric", sink);
            let region = regions_index.get(&h.region, "region", sink);
            Some(Headline {
                metric: MetricId(metric?),
                region: RegionId(region?),
                kind: h.kind,
                year: h.year,
            })
        })
        .collect();

    let home_map: Option<Option<MapSpec>> =
        match raw.site.as_ref().and_then(|s| s.home_map.as_ref()) {
            Some(m) => metrics_index.get(&m.metric, "metric", sink).map(|metric| {
                Some(MapSpec {
                    metric: MetricId(metric),
                    kind: m.kind.unwrap_or(FigureKind::Actual),
                    year: m.year,
                })
            }),
            None => Some(None),
        };

    let refs = figures::Refs {
        regions: &regions_index,
        programs: &programs_index,
        brands: &brands_index,
        metrics: &metrics_index,
    };
    // Each document's body moves into its resolved document: no second copy.
    let mut raw_documents = std::mem::take(&mut raw.documents);
    let (documents, all_figures) = figures::resolve_documents(
        &mut raw_documents,
        &raw.versions,
        &refs,
        &metrics,
        sink,
        quotes,
    );

    // Everything is checked and reported; from here on only a sound site is built.
    let all_found = [
        &regions_index,
        &programs_index,
        &brands_index,
        &metrics_index,
    ]
    .iter()
    .all(|index| index.all_found());
    if !(all_found && regions_sound && programs_sound) {
        return None;
    }
    let mut regions: Vec<Region> = regions.into_iter().collect::<Option<_>>()?;
    let mut programs: Vec<Program> = programs.into_iter().collect::<Option<_>>()?;
    let mut documents: Vec<Document> = documents.into_iter().collect::<Option<_>>()?;
    let mut brands: Vec<Brand> = raw
        .brands
        .iter()
        .zip(brand_regions)
        .map(|(b, region)| {
            Some(Brand {
                slug: b.slug.value.clone(),
                name: b.name.clone(),
                region: region?,
                level: b.level,
                recognized_by: b.recognized_by.clone(),
                year: b.year,
                occupations: b.occupations.clone(),
                training_base: b.training_base.clone(),
                body: b.body.text.clone(),
                body_at: Span::new(b.slug.span.file, b.body.offset, b.body.offset),
                body_links: b.body.links.clone(),
                figures: Vec::new(),
                programs: Vec::new(),
            })
        })
        .collect::<Option<_>>()?;

    // Back-references, in id order so pages list things in a stable order.
    for (i, program) in programs.iter().enumerate() {
        regions[program.scope.0].programs.push(ProgramId(i));
        for brand in &program.brands {
            brands[brand.0].programs.push(ProgramId(i));
        }
    }
    let parents: Vec<Option<ProgramId>> = programs.iter().map(|p| p.parent).collect();
    for (i, parent) in parents.into_iter().enumerate() {
        if let Some(parent) = parent {
            programs[parent.0].children.push(ProgramId(i));
        }
    }
    for (i, brand) in brands.iter().enumerate() {
        regions[brand.region.0].brands.push(BrandId(i));
    }
    for (i, document) in documents.iter().enumerate() {
        regions[document.region.0].documents.push(DocId(i));
    }
    for (i, figure) in all_figures.iter().enumerate() {
        let id = FigureId(i);
        metrics[figure.metric.0].figures.push(id);
        regions[figure.region.0].figures.push(id);
        documents[figure.document.0].figures.push(id);
        if let Some(p) = figure.program {
            programs[p.0].figures.push(id);
        }
        if let Some(b) = figure.brand {
            brands[b.0].figures.push(id);
        }
    }

    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for (i, d) in documents.iter().enumerate() {
        for t in &d.topics {
            topics
                .entry(t.clone())
                .or_default()
                .documents
                .push(DocId(i));
        }
    }
    for (i, p) in programs.iter().enumerate() {
        for t in &p.topics {
            topics
                .entry(t.clone())
                .or_default()
                .programs
                .push(ProgramId(i));
        }
    }

    let site = raw.site.as_ref()?;
    let root = root?;
    let mut base_url = site.base_url.value.clone();
    if !base_url.ends_with('/') {
        base_url.push('/');
    }
    let mut site = Site {
        prose_units: Vec::new(),
        title: site.title.clone(),
        description: site.description.clone(),
        language: site.language.clone(),
        base_url,
        publisher: site.publisher.clone(),
        icp: site.icp.clone(),
        theme: site.theme.as_ref().map(|t| t.value.clone()),
        navigation: site.navigation.clone(),
        headline: headline?,
        operator: site.operator.clone(),
        disclaimer: site.disclaimer.clone(),
        data_license: site
            .data_license
            .as_ref()
            .map(|l| (l.name.clone(), l.url.clone())),
        home_map: home_map?,
        root,
        metrics,
        regions,
        programs,
        brands,
        documents,
        figures: all_figures,
        agreements: Vec::new(),
        topics,
    };
    site.agreements = super::consistency::check(&site, sink);
    site.prose_units = super::prose::units(&site);
    super::prose::check(&site, sink);
    Some(site)
}

/// Positions of `regions` in administrative order: depth first from the
/// roots, siblings by `order` (those without one after, in file order).
/// Regions no root reaches (a cycle) keep their file order at the end.
fn administrative_order(regions: &[crate::content::raw::RawRegion]) -> Vec<usize> {
    let by_slug: BTreeMap<&str, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.slug.value.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); regions.len()];
    let mut roots = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        match r
            .parent
            .as_ref()
            .and_then(|p| by_slug.get(p.value.as_str()))
        {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    let key = |&i: &usize| (regions[i].order.is_none(), regions[i].order, i);
    roots.sort_by_key(key);
    for list in &mut children {
        list.sort_by_key(key);
    }
    let mut out = Vec::with_capacity(regions.len());
    let mut seen = vec![false; regions.len()];
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(i) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        out.push(i);
        stack.extend(children[i].iter().rev());
    }
    out.extend((0..regions.len()).filter(|&i| !seen[i]));
    out
}

/// The regions, each `None` when its parent did not resolve, and whether the
/// tree is sound (no cycle).
fn resolve_regions(
    raw: &RawContent,
    index: &Index<'_>,
    sink: &mut Diagnostics,
) -> (Vec<Option<Region>>, bool) {
    let parents: Vec<Option<Option<RegionId>>> = raw
        .regions
        .iter()
        .map(|r| match &r.parent {
            Some(p) => index.get(p, "parent", sink).map(|i| Some(RegionId(i))),
            None => Some(None),
        })
        .collect();
    let mut regions: Vec<Region> = raw
        .regions
        .iter()
        .zip(&parents)
        .map(|(r, parent)| Region {
            slug: r.slug.value.clone(),
            name: r.name.clone(),
            short_name: r.short_name.clone(),
            level: r.level,
            parent: parent.flatten(),
            children: Vec::new(),
            order: r.order,
            aliases: r.aliases.clone(),
            summary: r.summary.clone(),
            summary_at: r.summary_at,
            figures: Vec::new(),
            documents: Vec::new(),
            programs: Vec::new(),
            brands: Vec::new(),
        })
        .collect();
    let cycles = find_cycles(
        &regions
            .iter()
            .map(|r| r.parent.map(|p| p.0))
            .collect::<Vec<_>>(),
    );
    let sound = cycles.is_empty();
    for cycle in cycles {
        let names: Vec<&str> = cycle
            .iter()
            .map(|&i| raw.regions[i].slug.value.as_str())
            .collect();
        let first = &raw.regions[cycle[0]];
        let span = first.parent.as_ref().map_or(first.slug.span, |p| p.span);
        let mut diagnostic = Diagnostic::error(
            Code::ParentCycle,
            span,
            format!(
                "区域的上级关系形成了循环：{} → {}",
                names.join(" → "),
                names[0]
            ),
        )
        .label("循环从这里开始")
        .help(
            "区域树从省（或国家）开始逐级向下：检查这些文件的 parent，让其中一个指向更高一级的区域",
        );
        for &i in &cycle[1..] {
            if let Some(p) = &raw.regions[i].parent {
                diagnostic = diagnostic.also(p.span, "循环中的一环");
            }
        }
        sink.push(diagnostic);
    }
    if !sound {
        return (Vec::new(), false);
    }
    let resolved: Vec<Option<RegionId>> = regions.iter().map(|r| r.parent).collect();
    for (i, parent) in resolved.into_iter().enumerate() {
        if let Some(p) = parent {
            regions[p.0].children.push(RegionId(i));
        }
    }
    let regions = regions
        .into_iter()
        .zip(parents)
        .map(|(region, parent)| parent.map(|_| region))
        .collect();
    (regions, true)
}

/// Every cycle in a parent forest, each listed once from its smallest member.
fn find_cycles(parents: &[Option<usize>]) -> Vec<Vec<usize>> {
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; parents.len()];
    let mut cycles = Vec::new();
    for start in 0..parents.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            match state[i] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&p| p == i).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    let min = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, v)| **v)
                        .map_or(0, |(k, _)| k);
                    cycle.rotate_left(min);
                    cycles.push(cycle);
                    break;
                }
                _ => {
                    state[i] = 1;
                    path.push(i);
                    at = parents[i];
                }
            }
        }
        for i in path {
            state[i] = 2;
        }
    }
    cycles
}

fn find_root(raw: &RawContent, sink: &mut Diagnostics) -> Option<RegionId> {
    let roots: Vec<usize> = raw
        .regions
        .iter()
        .enumerate()
        .filter(|(_, r)| r.parent.is_none())
        .map(|(i, _)| i)
        .collect();
    match roots.as_slice() {
        [one] => Some(RegionId(*one)),
        [] => {
            if raw.regions.is_empty() && !sink.has_errors() {
                sink.push(
                    Diagnostic::without_file(Code::RegionRoot, "content/regions/ 中没有任何区域")
                        .help("至少新建一个没有 parent 的根区域，例如 content/regions/henan.yaml（level: province）"),
                );
            }
            // With regions but no root, a cycle or a bad parent was reported.
            None
        }
        [first, rest @ ..] => {
            for &other in rest {
                sink.push(
                    Diagnostic::error(
                        Code::RegionRoot,
                        raw.regions[other].slug.span,
                        format!(
                            "“{}”没有 parent，而“{}”已经是根区域",
                            raw.regions[other].name, raw.regions[*first].name
                        ),
                    )
                    .also(raw.regions[*first].slug.span, "已有的根区域")
                    .help(format!(
                        "区域树只能有一个根：给这个区域加上 `parent: {}`（或它实际所属的区域）",
                        raw.regions[*first].slug.value
                    )),
                );
            }
            None
        }
    }
}

fn resolve_programs(
    raw: &RawContent,
    regions: &Index<'_>,
    programs: &Index<'_>,
    brands: &Index<'_>,
    sink: &mut Diagnostics,
) -> (Vec<Option<Program>>, bool) {
    let resolved: Vec<Option<Program>> = raw
        .programs
        .iter()
        .map(|p| {
            let scope = regions.get(&p.scope, "scope", sink).map(RegionId);
            let parent = match &p.parent {
                Some(s) => programs.get(s, "parent", sink).map(|i| Some(ProgramId(i))),
                None => Some(None),
            };
            let program_brands: Option<Vec<BrandId>> = p
                .brands
                .iter()
                .map(|b| brands.get(b, "brands", sink).map(BrandId))
                .collect::<Vec<_>>()
                .into_iter()
                .collect();
            Some(Program {
                slug: p.slug.value.clone(),
                name: p.name.clone(),
                scope: scope?,
                parent: parent?,
                children: Vec::new(),
                lead: p.lead.clone(),
                partners: p.partners.clone(),
                years: p.years.clone(),
                brands: program_brands?,
                topics: p.topics.clone(),
                body: p.body.text.clone(),
                body_at: Span::new(p.slug.span.file, p.body.offset, p.body.offset),
                body_links: p.body.links.clone(),
                figures: Vec::new(),
            })
        })
        .collect();
    let parents: Vec<Option<usize>> = resolved
        .iter()
        .map(|p| p.as_ref().and_then(|p| p.parent).map(|x| x.0))
        .collect();
    let cycles = find_cycles(&parents);
    let sound = cycles.is_empty();
    for cycle in cycles {
        let first = &raw.programs[cycle[0]];
        let names: Vec<&str> = cycle
            .iter()
            .map(|&i| raw.programs[i].slug.value.as_str())
            .collect();
        let span = first.parent.as_ref().map_or(first.slug.span, |p| p.span);
        sink.push(
            Diagnostic::error(
                Code::ParentCycle,
                span,
                format!(
                    "项目的上级关系形成了循环：{} → {}",
                    names.join(" → "),
                    names[0]
                ),
            )
            .help("子项目的 parent 指向总项目，总项目不写 parent"),
        );
    }
    (resolved, sound)
}

fn check_doc_numbers(raw: &RawContent, sink: &mut Diagnostics) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for document in &raw.documents {
        let Some(number) = &document.doc_number else {
            continue;
        };
        if let Some(first) = seen.get(number.value.as_str()) {
            sink.push(
                Diagnostic::error(
                    Code::DuplicateDocNumber,
                    number.span,
                    format!("发文字号“{}”已被另一个文件使用", number.value),
                )
                .also(*first, "先出现的同一发文字号")
                .help("同一文件只收录一次；若确是两个文件，请核对发文字号"),
            );
        } else {
            seen.insert(number.value.as_str(), number.span);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_cycle_once() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0, 4 root, 5 -> 5
        let parents = vec![Some(1), Some(2), Some(0), Some(0), None, Some(5)];
        let cycles = find_cycles(&parents);
        assert_eq!(cycles, vec![vec![0, 1, 2], vec![5]]);
        assert!(find_cycles(&[None, Some(0), Some(1)]).is_empty());
    }
}
