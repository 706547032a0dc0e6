//! The check every reader target makes of what a reader hands on.

use mim_reports::ingest::ReadItem;

/// Fails when an item's offset, where it has one, points past the input.
pub fn assert_located(item: &ReadItem, len: usize) {
    let offset = match item {
        ReadItem::Event { record, .. } => Some(record.origin.offset),
        ReadItem::Audit { origin, .. } => Some(origin.offset),
        ReadItem::Unreadable(d) | ReadItem::Note(d) => d.offset,
    };
    if let Some(offset) = offset {
        assert!(offset <= len as u64, "offset {offset} beyond {len} bytes");
    }
}
