//! crosswalk: education–industry alignment workshops in the terminal.
//!
//! The house plan: `model` holds frameworks, items and links (no terminal, no SQL);
//! `store` is the SQLite workshop file; `case` reads and writes CASE JSON and CSV;
//! `app` turns events into actions and actions into state; `ui` draws that state;
//! `screen` runs the two in a terminal; `cli` and `report` are the other front ends.
//! `files` writes what the front ends produce to the paths people name.
pub mod app;
pub mod case;
pub mod cli;
pub mod files;
pub mod model;
pub mod report;
pub mod screen;
pub mod server;
pub mod store;
pub mod suggest;
pub mod text;
pub mod theme;
pub mod ui;
