//! Guides: the procedure as data ([`model`]) and the pure engine that walks a citizen through
//! it ([`engine`]).

pub mod engine;
pub mod model;

pub use engine::{Action, Event, Input, Outcome, Reply, State, step};
pub use model::{Guide, Problem};
