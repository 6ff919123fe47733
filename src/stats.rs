//! OWNER: engine helper.
