//! The default theme is embedded with `include_dir!`, which tells Cargo about the
//! files it read but not about files added later: rebuild when the folder changes.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
