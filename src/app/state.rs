//! The page's state and the actions that change it, in one reducer.

use std::rc::Rc;

use yew::Reducible;

/// What the page knows about the user's files so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageState {
    /// Names of the files picked or dropped, in the order they came.
    pub file_names: Vec<String>,
    /// A one-line message for the user, replaced by the next action.
    pub notice: Option<String>,
}

/// Something the user did on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    /// Files were picked in the file input or dropped on the drop zone.
    FilesChosen(Vec<String>),
    /// The user asked for the bundled sample export.
    SampleRequested,
}

impl Reducible for PageState {
    type Action = PageAction;

    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PageAction::FilesChosen(names) => {
                next.file_names.extend(names);
                next.notice = None;
            }
            // The sample export is bundled together with the engine; until
            // then the button says so instead of doing nothing.
            PageAction::SampleRequested => {
                next.notice = Some("The sample export is not bundled in this build yet.".into());
            }
        }
        Rc::new(next)
    }
}
