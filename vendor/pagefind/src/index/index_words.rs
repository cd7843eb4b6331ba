use minicbor::encode::{Error, Write};
use minicbor::{Encode, Encoder};

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
#[derive(Encode)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A set of locations on a given page
// skillpress: a word is on most pages only a few times, so its locations
// are kept inline up to four (`Locations`): one allocation less for each
// word of each page, and no pointer to follow when the index is encoded.
// Encoded by hand (below) instead of `#[derive(Encode)]`, as the same CBOR
// array `[page_number, locs, meta_locs]`.
#[derive(Clone, Debug)]
pub struct PackedPage {
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    pub locs: Locations,
    pub meta_locs: Vec<i32>,
}

/// skillpress: a page's locations of one word.
pub type Locations = smallvec::SmallVec<[i32; 4]>;

impl<C> Encode<C> for PackedPage {
    fn encode<W: Write>(&self, e: &mut Encoder<W>, _: &mut C) -> Result<(), Error<W::Error>> {
        // skillpress: nearly every page holds a word a few times and has no
        // meta locations, so its whole array is put together here and
        // written at once (five writes through the encoder were ~2 % of a
        // plain build's instructions).
        if self.locs.len() <= SHORT && self.meta_locs.len() <= SHORT {
            let mut batch = [0u8; 4 * LONGEST_HEAD + 2 * SHORT * LONGEST];
            let mut used = head(&mut batch, ARRAY, 3);
            used += head(&mut batch[used..], UNSIGNED, self.page_number as u64);
            for ints in [&self.locs[..], &self.meta_locs[..]] {
                used += head(&mut batch[used..], ARRAY, ints.len() as u64);
                used += fill_ints(&mut batch[used..], ints);
            }
            return e.writer_mut().write_all(&batch[..used]).map_err(Error::write);
        }
        e.array(3)?.u64(self.page_number as u64)?;
        encode_ints(e, &self.locs)?;
        encode_ints(e, &self.meta_locs)
    }
}

/// skillpress: lists of up to this many locations go out through one small
/// batch (most lists hold a location or two, and clearing a 512-byte batch
/// for each cost more than writing them: ~1 % of a plain build).
const SHORT: usize = 8;

/// skillpress: a list of `i32` as a CBOR array, its items written as
/// `Encoder::i32` writes them but up to a hundred at a time. Writing each
/// location through the encoder on its own was a twentieth of indexing a
/// page of plain text.
fn encode_ints<W: Write>(e: &mut Encoder<W>, ints: &[i32]) -> Result<(), Error<W::Error>> {
    e.array(ints.len() as u64)?;
    if ints.len() <= SHORT {
        let mut batch = [0u8; SHORT * LONGEST];
        let used = fill_ints(&mut batch, ints);
        return e.writer_mut().write_all(&batch[..used]).map_err(Error::write);
    }
    let mut batch = [0u8; 512];
    for chunk in ints.chunks(512 / LONGEST) {
        let used = fill_ints(&mut batch, chunk);
        e.writer_mut()
            .write_all(&batch[..used])
            .map_err(Error::write)?;
    }
    Ok(())
}

/// Bytes of the longest CBOR integer `fill_ints` writes.
const LONGEST: usize = 5;
/// Bytes of the longest CBOR head (a major type and a `u64`).
const LONGEST_HEAD: usize = 9;

/// CBOR major types, in the head's top three bits.
const UNSIGNED: u8 = 0x00;
const NEGATIVE: u8 = 0x20;
const ARRAY: u8 = 0x80;

/// Writes `ints` into `batch` (at least `LONGEST` bytes each) as
/// `Encoder::i32` would; returns the bytes used.
fn fill_ints(batch: &mut [u8], ints: &[i32]) -> usize {
    let mut used = 0;
    for &int in ints {
        // CBOR: n for n >= 0, -1 - n (its bits inverted) otherwise.
        used += if int >= 0 {
            head(&mut batch[used..], UNSIGNED, int as u64)
        } else {
            head(&mut batch[used..], NEGATIVE, u64::from(!int as u32))
        };
    }
    used
}

/// Writes the shortest CBOR head of `major` with the argument `n` at the
/// start of `batch`, as the encoder writes integers and array lengths;
/// returns its length.
fn head(batch: &mut [u8], major: u8, n: u64) -> usize {
    match n {
        0..=0x17 => {
            batch[0] = major | n as u8;
            1
        }
        0x18..=0xff => {
            batch[..2].copy_from_slice(&[major | 24, n as u8]);
            2
        }
        0x100..=0xffff => {
            batch[0] = major | 25;
            batch[1..3].copy_from_slice(&(n as u16).to_be_bytes());
            3
        }
        0x1_0000..=0xffff_ffff => {
            batch[0] = major | 26;
            batch[1..5].copy_from_slice(&(n as u32).to_be_bytes());
            5
        }
        _ => {
            batch[0] = major | 27;
            batch[1..9].copy_from_slice(&n.to_be_bytes());
            9
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How the derived encoding wrote a page: every item through the encoder.
    fn derived(page: &PackedPage) -> Vec<u8> {
        let mut e = Encoder::new(Vec::new());
        e.array(3).unwrap().u64(page.page_number as u64).unwrap();
        for ints in [&page.locs[..], &page.meta_locs[..]] {
            e.array(ints.len() as u64).unwrap();
            for &int in ints {
                e.i32(int).unwrap();
            }
        }
        e.into_writer()
    }

    #[test]
    fn pages_are_encoded_as_the_derived_encoding_did() {
        // Each end of every length of CBOR integer, both signs.
        let edges: Vec<i32> = [
            0,
            1,
            0x17,
            0x18,
            0xff,
            0x100,
            0xffff,
            0x1_0000,
            i32::MAX as i64,
        ]
        .into_iter()
        .flat_map(|n: i64| [n, -n, -n - 1, n - 1, n + 1])
        .filter_map(|n| i32::try_from(n).ok())
        .chain([i32::MIN, i32::MIN + 1])
        .collect();
        // Long enough to fill the batch several times, in each alignment.
        let long: Vec<i32> = (0..3000).map(|i| edges[i * 7 % edges.len()]).collect();
        for (locs, meta_locs) in [
            (vec![], vec![]),
            (edges.clone(), vec![-26, 3]),
            (long.clone(), edges.clone()),
            (long[1..].to_vec(), long[..2047].to_vec()),
            // The short lists' batch, full of the longest integers, and one past it.
            (vec![i32::MIN; 8], vec![i32::MAX; 9]),
            (vec![i32::MIN; 8], vec![i32::MAX; 8]),
            (vec![i32::MIN; 9], vec![]),
            (edges[..3].to_vec(), edges[3..5].to_vec()),
        ] {
            // Each end of every length of CBOR head (a `usize` page number).
            for page_number in [
                0,
                23,
                24,
                0xff,
                0x100,
                0xffff,
                0x1_0000,
                70_000,
                0xffff_ffff,
                0x1_0000_0000,
                usize::MAX,
            ] {
                let page = PackedPage {
                    page_number,
                    locs: locs.iter().copied().collect(),
                    meta_locs: meta_locs.clone(),
                };
                let mut ours = Vec::new();
                minicbor::encode(&page, &mut ours).unwrap();
                assert_eq!(ours, derived(&page), "{page_number} {}", locs.len());
            }
        }
    }
}
