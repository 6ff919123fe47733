//! OWNER: signals helper.
