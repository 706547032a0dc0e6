//! The page's components, one file each, named after what they show.

mod drop_zone;
mod file_list;
mod file_picker;

pub use drop_zone::DropZone;
pub use file_list::FileList;
pub use file_picker::FilePicker;

/// Names of the files in a browser file list, in its order.
///
/// A `None` list (no files, or a drag that carried none) gives no names.
fn file_names(files: Option<web_sys::FileList>) -> Vec<String> {
    let Some(files) = files else {
        return Vec::new();
    };
    (0..files.length())
        .filter_map(|index| files.get(index))
        .map(|file| file.name())
        .collect()
}
