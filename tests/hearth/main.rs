//! Integration tests: each builds a small fixture site in a temp folder with the real
//! `hearth` binary and asserts on the parsed HTML, the messages and the exit codes.

mod support;

mod around;
mod bad_input;
mod build;
mod counseling;
mod edit;
mod errors;
mod fuzz_regressions;
mod hub;
mod images;
mod import;
mod languages;
mod output;
mod publish;
mod scaffold;
mod search;
mod serve;
mod strings;
mod structured_data;
mod symlinks;
mod templates;
mod worksheets;
