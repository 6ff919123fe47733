#[path = "../tests/core/common/mod.rs"]
mod common;
fn main() {
    let seed: u64 = std::env::args().nth(1).unwrap().parse().unwrap();
    let w = common::world(seed, 60, 0.7);
    for s in &w.samples {
        println!(
            "{}",
            serde_json::json!({"source": s.source, "prompt_id": s.prompt_id, "text": s.text})
        );
    }
}
