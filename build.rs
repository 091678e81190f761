//! `sqlx::migrate!` embeds the migrations when the crate compiles: without this, a migration
//! added or edited would not reach the binary until something else changed.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
