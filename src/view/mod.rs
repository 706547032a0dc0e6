//! What the page shows, shaped as plain data the engine can test natively:
//! the charts' days, buckets, stacks, scales and geometry ([`chart`]), and
//! the re-reading of a row's events from the user's file by byte range
//! ([`reread`]). The page's components only draw what these give them.

pub mod chart;
pub mod reread;
