//! Startup Hub dashboard: sign in, then issue, copy, watch and revoke personal
//! API tokens. A Yew app compiled to WebAssembly and served by the Startup Hub
//! server from the same origin; it talks to that server over HTTP only.

mod api;
mod app;
mod clipboard;
mod components;
mod dom;
mod hooks;
mod pages;
mod route;
mod time;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
