//! The `paform-desktop` executable: everything lives in the library (`paform_desktop::run`)
//! so the shell's logic can be tested without a window.

// A release build on Windows opens no console window next to the app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    paform_desktop::run();
}
