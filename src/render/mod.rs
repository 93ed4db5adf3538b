//! Render stage.
pub mod highlight;
pub mod markdown;
pub mod mentions;
pub mod urls;
