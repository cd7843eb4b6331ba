//! Open data: every figure with its source, quote and page URL, as CSV (UTF-8
//! with BOM, for Excel on zh-CN Windows) and JSON with the same fields, plus
//! one CSV per metric.

use rayon::prelude::*;
use serde::Serialize;

use crate::model::*;

use super::context::{doc_kind_label, kind_slug};
use super::urls::Urls;

/// One row of figures.csv / one object of figures.json. Field names are the
/// column names documented on /data/. Text the model holds is borrowed from
/// it: a national site has tens of thousands of records, each serialised
/// once and dropped.
#[derive(Serialize, Debug, Clone)]
pub struct FigureRecord<'a> {
    pub metric: &'a str,
    pub metric_name: &'a str,
    pub unit: &'a str,
    /// Exact value in `unit` (the upper end in `value_high` for ranges).
    pub value: String,
    pub value_high: String,
    pub value_written: String,
    /// The value converted to the metric's unit, for comparisons.
    pub value_in_metric_unit: String,
    pub metric_unit: &'a str,
    pub kind: &'static str,
    /// 以上, 近, 最高 …; empty when the number is exact.
    pub qualifier: &'a str,
    /// Who the number is about when narrower than the region.
    pub subject: &'a str,
    pub region: &'a str,
    pub region_name: &'a str,
    pub program: &'a str,
    pub program_name: &'a str,
    pub brand: &'a str,
    pub brand_name: &'a str,
    pub time: String,
    /// year | period | as_of | since | time_text | undated.
    pub time_basis: &'static str,
    pub year: String,
    pub document: &'a str,
    pub document_title: &'a str,
    pub document_kind: &'static str,
    pub quote: &'a str,
    pub note: &'a str,
    pub over_max: bool,
    pub conflicting: bool,
    pub page_url: String,
}

/// Every figure's record, in the site's order of figures.
#[cfg(test)]
pub fn records<'a>(site: &'a Site, urls: &Urls) -> Vec<FigureRecord<'a>> {
    site.figures.iter().map(|f| record(site, urls, f)).collect()
}

/// The record of one figure.
fn record<'a>(site: &'a Site, urls: &Urls, f: &'a Figure) -> FigureRecord<'a> {
    let metric = site.metric(f.metric);
    let region = site.region(f.region);
    let document = site.document(f.document);
    let program = f.program.map(|p| site.program(p));
    let brand = f.brand.map(|b| site.brand(b));
    FigureRecord {
        metric: &metric.id,
        metric_name: &metric.name,
        unit: &f.unit,
        value: f.value.low.normalize().to_string(),
        value_high: f
            .value
            .high
            .map(|h| h.normalize().to_string())
            .unwrap_or_default(),
        value_written: f.value_label(),
        value_in_metric_unit: f.in_metric_unit.normalize().to_string(),
        metric_unit: &metric.unit,
        kind: kind_slug(f.kind),
        qualifier: f.qualifier.as_deref().unwrap_or_default(),
        subject: f.subject.as_deref().unwrap_or_default(),
        region: &region.slug,
        region_name: &region.name,
        program: program.map(|p| p.slug.as_str()).unwrap_or_default(),
        program_name: program.map(|p| p.name.as_str()).unwrap_or_default(),
        brand: brand.map(|b| b.slug.as_str()).unwrap_or_default(),
        brand_name: brand.map(|b| b.name.as_str()).unwrap_or_default(),
        time: f.time_label(),
        time_basis: match f.time {
            Time::Year(_) => "year",
            Time::Period(..) => "period",
            Time::AsOf(_) | Time::DocDate(_) => "as_of",
            Time::Since(..) => "since",
            Time::Vague(_) => "time_text",
            Time::Undated => "undated",
        },
        year: f.time.year().map(|y| y.to_string()).unwrap_or_default(),
        document: &document.slug,
        document_title: &document.title,
        document_kind: doc_kind_label(document.kind),
        quote: &f.quote,
        note: f.note.as_deref().unwrap_or_default(),
        over_max: f.over_max,
        conflicting: f.conflicting,
        page_url: urls.absolute(&format!("documents/{}/#{}", document.slug, f.quote_anchor)),
    }
}

/// Records serialised together, per chunk of this many.
const CHUNK: usize = 512;

/// The records of the open-data files, each serialised once (in parallel,
/// a chunk of records at a time): figures.csv and a metric's CSV share the
/// same row bytes, and figures.json joins the objects. At national scale
/// these files are tens of megabytes, remade on every save in `serve`; a
/// chunk keeps its records' bytes in one buffer, not one per record.
pub struct Serialized {
    chunk: usize,
    /// Each chunk's CSV lines, and where each record's line ends.
    rows: Vec<(Vec<u8>, Vec<usize>)>,
    /// Each chunk's records as items of figures.json: pretty-printed and
    /// indented as array items, each after the first preceded by `,`.
    objects: Vec<Vec<u8>>,
}

impl Serialized {
    /// The records of every figure of `site`, in the site's order.
    pub fn of_site(site: &Site, urls: &Urls) -> Self {
        Self::from_fn(&site.figures, CHUNK, |f| record(site, urls, f))
    }

    #[cfg(test)]
    fn new(records: &[FigureRecord], chunk: usize) -> Self {
        Self::from_fn(records, chunk, FigureRecord::clone)
    }

    fn from_fn<'a, T: Sync>(
        items: &'a [T],
        chunk: usize,
        record: impl Fn(&'a T) -> FigureRecord<'a> + Sync,
    ) -> Self {
        let (rows, objects) = items
            .par_chunks(chunk)
            .enumerate()
            .map(|(c, records)| {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(Vec::new());
                let mut ends = Vec::with_capacity(records.len());
                let mut json = Vec::new();
                let mut object = Vec::new();
                for (k, item) in records.iter().enumerate() {
                    let record = record(item);
                    let _ = csv.serialize(&record);
                    let _ = csv.flush();
                    ends.push(csv.get_ref().len());
                    if c > 0 || k > 0 {
                        json.extend_from_slice(b",\n  ");
                    }
                    object.clear();
                    let _ = serde_json::to_writer_pretty(&mut object, &record);
                    indent_item(&object, &mut json);
                }
                ((csv.into_inner().unwrap_or_default(), ends), json)
            })
            .unzip();
        Serialized {
            chunk,
            rows,
            objects,
        }
    }

    /// Record `i`'s CSV line.
    fn row(&self, i: usize) -> &[u8] {
        let (bytes, ends) = &self.rows[i / self.chunk];
        let k = i % self.chunk;
        let start = if k == 0 { 0 } else { ends[k - 1] };
        &bytes[start..ends[k]]
    }

    /// CSV (UTF-8 with a BOM, for Excel) of the records at `indices`, in
    /// that order, under the header row.
    pub fn csv(&self, indices: impl IntoIterator<Item = usize> + Clone) -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            let _ = writer.write_record(COLUMNS.iter().map(|(name, _)| *name));
            let _ = writer.flush();
        }
        // Sized first: these files are large, and growing them copies them.
        let rows: usize = indices.clone().into_iter().map(|i| self.row(i).len()).sum();
        out.reserve_exact(rows);
        for i in indices {
            out.extend_from_slice(self.row(i));
        }
        out
    }

    /// Every record as one pretty-printed JSON list, ending in a newline.
    pub fn json(&self) -> Vec<u8> {
        if self.objects.is_empty() {
            return b"[]\n".to_vec();
        }
        let size: usize = self.objects.iter().map(Vec::len).sum();
        let mut out = Vec::with_capacity(size + 8);
        out.extend_from_slice(b"[\n  ");
        for objects in &self.objects {
            out.extend_from_slice(objects);
        }
        out.extend_from_slice(b"\n]\n");
        out
    }

    /// How many records there are.
    pub fn count(&self) -> usize {
        self.rows.iter().map(|(_, ends)| ends.len()).sum()
    }
}

/// A record pretty-printed alone, indented one level deeper into `out`:
/// JSON strings escape their line breaks, so every raw newline is layout
/// and gains the array's indent.
fn indent_item(object: &[u8], out: &mut Vec<u8>) {
    out.reserve(object.len() + 64);
    for line in object.split_inclusive(|&b| b == b'\n') {
        out.extend_from_slice(line);
        if line.ends_with(b"\n") {
            out.extend_from_slice(b"  ");
        }
    }
}

/// Column documentation shown on /data/.
pub const COLUMNS: &[(&str, &str)] = &[
    ("metric", "指标编号（见“指标”栏目）"),
    ("metric_name", "指标名称"),
    ("unit", "数值的单位（原文所用单位）"),
    ("value", "精确数值（按 unit，范围取下限）"),
    ("value_high", "范围的上限；不是范围时为空"),
    (
        "value_written",
        "原文写法，含限定词和单位，如 近1万人、500余家、最高200万元",
    ),
    ("value_in_metric_unit", "换算为指标单位后的数值，便于比较"),
    ("metric_unit", "指标的单位"),
    (
        "kind",
        "actual（完成）、target（目标）或 standard（政策标准，如补贴标准、上限）",
    ),
    (
        "qualifier",
        "原文的限定词：以上、余、多、超过（下限），最高、不超过、以内（上限），近、约、左右（约数）；确数为空",
    ),
    (
        "subject",
        "数字只涉及的单位或群体（如一所学院、一家企业）；涉及整个地区时为空",
    ),
    ("region", "地区编号"),
    ("region_name", "地区名称"),
    ("program", "项目编号；不属于某个项目时为空"),
    ("program_name", "项目名称"),
    ("brand", "人力资源品牌编号"),
    ("brand_name", "品牌名称"),
    (
        "time",
        "时间，按原文：某年、起止年份、截至某日、某时以来（截至某日）、原文的模糊时间（如 近三年来）",
    ),
    (
        "time_basis",
        "时间口径：year、period、as_of（截至某日）、since（某时以来）、time_text（原文模糊时间）、undated",
    ),
    ("year", "用于排序的年份；未注明时为空"),
    ("document", "出处文件编号"),
    ("document_title", "出处文件标题"),
    ("document_kind", "文件类别"),
    ("quote", "原文语句"),
    ("note", "编者注"),
    ("over_max", "true 表示超出指标上限、原文如此"),
    ("conflicting", "true 表示同一口径另有不同的数"),
    ("page_url", "原文语句在本站的网址"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_columns_match_the_record() {
        let record = FigureRecord {
            metric: "",
            metric_name: "",
            unit: "",
            value: String::new(),
            value_high: String::new(),
            value_written: String::new(),
            value_in_metric_unit: String::new(),
            metric_unit: "",
            kind: "actual",
            qualifier: "",
            subject: "",
            region: "",
            region_name: "",
            program: "",
            program_name: "",
            brand: "",
            brand_name: "",
            time: String::new(),
            time_basis: "year",
            year: String::new(),
            document: "",
            document_title: "",
            document_kind: "",
            quote: "",
            note: "",
            over_max: false,
            conflicting: false,
            page_url: String::new(),
        };
        let csv = String::from_utf8(Serialized::new(&[record], CHUNK).csv([0])).unwrap();
        let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
        let documented: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(header.split(',').collect::<Vec<_>>(), documented);
    }

    /// The files as serde writes them from the whole list, to hold the
    /// row-by-row assembly to.
    fn whole_csv(records: &[FigureRecord]) -> Vec<u8> {
        let mut out = "\u{feff}".as_bytes().to_vec();
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            for record in records {
                writer.serialize(record).unwrap();
            }
            if records.is_empty() {
                writer
                    .write_record(COLUMNS.iter().map(|(name, _)| *name))
                    .unwrap();
            }
            writer.flush().unwrap();
        }
        out
    }

    #[test]
    fn files_joined_from_records_are_those_serde_writes_from_the_list() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = crate::validate(root).site.expect("the real site validates");
        let urls = Urls::new("https://example.org/sub/", "/sub/");
        let mut records = records(&site, &urls);
        assert!(records.len() > 2 * 7, "several chunks of 7");
        // Text that CSV must quote and JSON must escape, at the first
        // record and at a chunk's edges.
        records[0].quote = "含“引号”, 逗号\n换行\t和 \"ASCII\" 引号";
        records[1].note = "一行\r\n两行";
        records[6].quote = "章末，\"引号\"\n";
        records[7].subject = "下一块\u{2028}的开头";
        // The site's own chunks, and chunks of one and of seven records, so
        // rows and items are joined across chunk edges.
        for chunk in [CHUNK, 1, 7] {
            for few in [&records[..0], &records[..1], &records[..8], &records[..]] {
                let joined = Serialized::new(few, chunk);
                assert_eq!(joined.count(), few.len());
                assert_eq!(joined.csv(0..few.len()), whole_csv(few), "chunk {chunk}");
                let mut json = serde_json::to_vec_pretty(few).unwrap();
                json.push(b'\n');
                assert_eq!(
                    String::from_utf8(joined.json()).unwrap(),
                    String::from_utf8(json).unwrap(),
                    "chunk {chunk}"
                );
            }
            let every_other: Vec<FigureRecord> = records.iter().step_by(2).cloned().collect();
            assert_eq!(
                Serialized::new(&records, chunk).csv((0..records.len()).step_by(2)),
                whole_csv(&every_other),
                "chunk {chunk}"
            );
        }
        // The site's files are those of its records.
        let of_site = Serialized::of_site(&site, &urls);
        let site_records = super::records(&site, &urls);
        assert_eq!(of_site.csv(0..of_site.count()), whole_csv(&site_records));
    }
}
