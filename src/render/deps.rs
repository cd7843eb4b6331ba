//! Which pages show what: the dependency rules `serve` uses to re-render only
//! the pages a changed document can affect.
//!
//! Pages are named by [`page_key`], which, unlike [`Page`], stays the same
//! between two versions of the site (ids are positions and shift when files are
//! added). The rules must list every page whose output reads the document;
//! `serve`'s tests compare incremental results with full renders to hold them to it.

use std::collections::BTreeSet;

use crate::model::{DocId, RegionId, ProgramId, Site};

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
    let Some(doc) = site.documents.iter().position(|d| d.slug == slug).map(DocId) else { return keys };
    let document = site.document(doc);
    // Lists and summaries that count or name every document and figure.
    for key in ["", "regions/", "programs/", "brands/", "documents/", "metrics/", "topics/", "data/", "feed.xml", "sitemap.xml"] {
        keys.insert(key.to_owned());
    }
    keys.insert(format!("documents/{}/", document.slug));
    for topic in &document.topics {
        keys.insert(page_key(&Page::Topic(topic.clone()), site));
    }
    add_region_and_ancestors(site, document.region, &mut keys);
    for &figure in &document.figures {
        let f = site.figure(figure);
        keys.insert(format!("metrics/{}/", site.metric(f.metric).id));
        add_region_and_ancestors(site, f.region, &mut keys);
        if let Some(program) = f.program {
            add_program_and_ancestors(site, program, &mut keys);
        }
        if let Some(brand) = f.brand {
            let b = site.brand(brand);
            keys.insert(format!("brands/{}/", b.slug));
            add_region_and_ancestors(site, b.region, &mut keys);
        }
        // Figures elsewhere about the same metric and region are compared with
        // this one (conflict marks, charts), so their documents show it too.
        for &other in &site.metric(f.metric).figures {
            let o = site.figure(other);
            if o.region == f.region && o.document != doc {
                keys.insert(format!("documents/{}/", site.document(o.document).slug));
            }
        }
    }
    keys
}

fn add_region_and_ancestors(site: &Site, region: RegionId, keys: &mut BTreeSet<String>) {
    let mut next = Some(region);
    while let Some(id) = next {
        let r = site.region(id);
        keys.insert(format!("regions/{}/", r.slug));
        next = r.parent;
    }
}

fn add_program_and_ancestors(site: &Site, program: ProgramId, keys: &mut BTreeSet<String>) {
    let mut next = Some(program);
    while let Some(id) = next {
        let p = site.program(id);
        keys.insert(format!("programs/{}/", p.slug));
        next = p.parent;
    }
}
