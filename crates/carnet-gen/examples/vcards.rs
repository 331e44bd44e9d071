//! Write the benchmarks' generated vCard file, for profiling an import outside the bench:
//! `cargo run --release -p carnet-gen --example vcards -- 100000 /tmp/people.vcf [seed]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let out = args.next().unwrap_or_else(|| "people.vcf".into());
    let seed: u64 = args.next().and_then(|v| v.parse().ok()).unwrap_or(42);
    let bodies: Vec<_> = carnet_gen::people(seed, n)
        .into_iter()
        .map(|p| p.body)
        .collect();
    std::fs::write(&out, carnet_gen::vcards::file(&bodies)).expect("write the file");
    println!("{n} cards (seed {seed}) in {out}");
}
