//! The coverage matrix: outcomes (or their groups) down, competencies (or their groups)
//! across, each cell marked by the status of the links between them.
use super::Action;
use super::state::State;
use crate::store::Workshop;

/// The matrix view's place: (to be filled in).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {}

/// Opens the matrix over the two frameworks on screen.
pub fn open(state: &mut State) {
    state.matrix = Some(Matrix::default());
}

/// A key while the matrix is open.
pub fn handle(state: &mut State, _ws: &mut Workshop, action: Action) {
    if action == Action::Back {
        state.matrix = None;
    }
}
