//! Which pages show what: the dependency rules `serve` uses to re-render only
//! the pages a changed document can affect.
//!
//! Pages are named by [`page_key`], which, unlike [`Page`], stays the same
//! between two versions of the site (ids are positions and shift when files are
//! added). The rules must list every page whose output reads the document;
//! `serve`'s tests compare incremental results with full renders to hold them to it.

use std::collections::BTreeSet;

use crate::model::{BrandId, DocId, ProgramId, RegionId, Site};

use super::pages::Page;

/// A page's name that survives rebuilds: its URL path from the site root, or
/// the name of a file that is not a page of its own.
pub fn page_key(page: &Page, site: &Site) -> String {
    page.from_root(site).unwrap_or_else(|| {
        match page {
            Page::NotFound => "404.html",
            Page::Feed => "feed.xml",
            Page::Sitemap => "sitemap.xml",
            _ => "robots.txt",
        }
        .to_owned()
    })
}

/// Keys of every page that shows anything of the document with this slug in
/// `site` (nothing when the site has no such document).
pub fn pages_showing_document(site: &Site, slug: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let Some(doc) = site
        .documents
        .iter()
        .position(|d| d.slug == slug)
        .map(DocId)
    else {
        return keys;
    };
    let document = site.document(doc);
    // Lists and summaries that count or name every document and figure.
    for key in [
        "",
        "regions/",
        "programs/",
        "brands/",
        "documents/",
        "metrics/",
        "topics/",
        "data/",
        "feed.xml",
        "sitemap.xml",
    ] {
        keys.insert(key.to_owned());
    }
    let key = |page: Page| page_key(&page, site);
    keys.insert(key(Page::Document(doc)));
    for topic in &document.topics {
        keys.insert(key(Page::Topic(topic.clone())));
    }
    let regions = |id| site.region_and_ancestors(id).map(|r| key(Page::Region(r)));
    keys.extend(regions(document.region));
    for &figure in &document.figures {
        let f = site.figure(figure);
        keys.insert(key(Page::Metric(f.metric)));
        // The views that list it: its region's and its parent's (a region
        // without a view names no page).
        keys.insert(key(Page::MetricView(f.metric, f.region)));
        if let Some(parent) = site.region(f.region).parent {
            keys.insert(key(Page::MetricView(f.metric, parent)));
        }
        keys.extend(regions(f.region));
        if let Some(program) = f.program {
            keys.extend(
                site.program_and_ancestors(program)
                    .map(|p| key(Page::Program(p))),
            );
        }
        if let Some(program) = f.program {
            // Brand pages show their programs' figures when they have none of their own.
            for &brand in &site.program(program).brands {
                keys.insert(key(Page::Brand(brand)));
            }
        } else {
            // A top program's total may be its scope's figure (agreement lines).
            for (i, p) in site.programs.iter().enumerate() {
                if p.parent.is_none() && p.scope == f.region {
                    keys.insert(key(Page::Program(crate::model::ProgramId(i))));
                }
            }
        }
        if let Some(brand) = f.brand {
            keys.insert(key(Page::Brand(brand)));
            keys.extend(regions(site.brand(brand).region));
        }
        // Prose of any page whose region is above or below the figure's may
        // link a number to it (`model::prose::wider`).
        let related = |r: RegionId| {
            site.region_and_ancestors(r).any(|a| a == f.region)
                || site.region_and_ancestors(f.region).any(|a| a == r)
        };
        for r in (0..site.regions.len()).map(RegionId) {
            if related(r) {
                keys.insert(key(Page::Region(r)));
            }
        }
        for (i, p) in site.programs.iter().enumerate() {
            if related(p.scope) {
                keys.insert(key(Page::Program(ProgramId(i))));
            }
        }
        for (i, b) in site.brands.iter().enumerate() {
            if related(b.region) {
                keys.insert(key(Page::Brand(BrandId(i))));
            }
        }
        // Figures elsewhere about the same metric and region are compared with
        // this one (conflict marks, charts), so their documents show it too.
        for &other in &site.metric(f.metric).figures {
            let o = site.figure(other);
            if o.region == f.region && o.document != doc {
                keys.insert(key(Page::Document(o.document)));
            }
        }
    }
    keys
}
