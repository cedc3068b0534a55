//! The coverage matrix, drawn over the trees and the detail pane.
use crate::app::{Matrix, State};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

pub fn draw(_state: &State, _matrix: &Matrix, _area: Rect, _buf: &mut Buffer) {}
