// Type-checked (never run) by module.test.mjs with `tsc --strict`: a
// consumer of the generated package must get precise types, and misuse
// must be a type error (the @ts-expect-error lines fail the check if the
// types ever become loose enough to accept them).
import init, { profile, version, type AnalyzeOptions, type FamilySource, type LineageError, type Profile, type ProfileOptions, type Report } from "../../www/pkg/lineage.js";

// Vendor families: a map of source names in the options; the report says
// each candidate's family, where it came from, and the verdict's headline.
export function families(report: Report): string {
  const options: AnalyzeOptions = { suspect: "s", candidates: ["a", "b"], families: { a: "openai" } };
  // @ts-expect-error: families maps names to strings
  const wrong: AnalyzeOptions = { suspect: "s", candidates: ["a", "b"], families: { a: 1 } };
  const from: FamilySource | null = report.sources[0].familyFrom;
  const family: string = report.verdict.ranking[0].family;
  return `${report.verdict.headline} ${options.families?.a} ${wrong.suspect} ${from} ${family}`;
}

export async function demo(): Promise<string> {
  await init();
  const options: ProfileOptions = { normalization: "nfkc", topK: 5, stripZeroWidth: true };
  const p: Profile = profile("Hello, world.", options);
  const words: number = p.words;
  const rate: number | undefined = p.punctuationPer1000[","];
  const first: string | undefined = p.topWordNgrams.unigrams[0]?.text;
  const yule: number = p.richness.yulesK;
  const fences: number = p.markdown.codeFences;
  // @ts-expect-error: unknown option
  profile("x", { topk: 5 });
  // @ts-expect-error: wrong option type
  profile("x", { topK: "5" });
  // @ts-expect-error: unknown normal form
  profile("x", { normalization: "nfd" });
  // @ts-expect-error: text must be a string
  profile(42);
  try {
    profile("x");
  } catch (e) {
    const code: LineageError["code"] = (e as LineageError).code;
    return code;
  }
  return `${version()} ${words} ${rate} ${first} ${yule} ${fences}`;
}
