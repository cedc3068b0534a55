//! crosswalk: education–industry alignment workshops in the terminal.
//!
//! The house plan: `model` holds frameworks, items and links (no terminal, no SQL);
//! `store` is the SQLite workshop file; `case` reads and writes CASE JSON and CSV;
//! `app` turns events into actions and actions into state; `ui` draws that state.
pub mod app;
pub mod case;
pub mod cli;
pub mod model;
pub mod report;
pub mod server;
pub mod store;
pub mod suggest;
pub mod ui;
