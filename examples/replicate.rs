//! Runs a scenario N times in one process and prints the time per run: a quick
//! profiling target (`perf record cargo run --release --example replicate -- FILE N`).

use std::sync::Arc;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map(String::as_str).unwrap_or("scenarios/stockholm-attack.toml");
    let n: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let model = Arc::new(samverkan::scenario::load(std::path::Path::new(path), None).expect("scenario"));
    let start = Instant::now();
    let mut events = 0;
    for i in 0..n {
        let r = samverkan::sim::run(&model, samverkan::sim::rng::replication_seed(model.seed, i)).expect("run");
        events += r.events;
        std::hint::black_box(samverkan::metrics::summarise(&r));
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{n} runs in {secs:.3} s: {:.2} ms per run, {:.0} events per run, {:.2} M events/s",
        secs * 1e3 / n as f64,
        events as f64 / n as f64,
        events as f64 / secs / 1e6
    );
}
