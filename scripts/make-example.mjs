// Writes www/example.json: a small, invented, illustrative data set for the
// page's "Load the example" button. Nothing here comes from real models or
// from the dev data: each prompt has a few plain facts written for this
// project, and each invented "model" wraps them in its own habits (openings,
// lists, closings, pet words). "wren-mini" is written to imitate
// "heron-large" (the way a distilled model echoes its teacher), so the
// example has an answer to find. Run: node scripts/make-example.mjs
import { writeFileSync } from "node:fs";

const prompts = [
  ["p01", "How do I keep basil alive indoors?", ["basil wants six hours of sun a day", "water it when the top of the soil feels dry", "pinch off the flower buds so the leaves keep growing"]],
  ["p02", "Why is the sky blue?", ["sunlight holds every colour", "air molecules scatter short blue waves more than long red ones", "at sunset the light crosses more air and the blue is scattered away"]],
  ["p03", "Give me tips for a first job interview.", ["read about the company before you go", "prepare two stories that show how you solve problems", "ask the interviewer a question at the end"]],
  ["p04", "What is a prime number?", ["a prime has exactly two divisors, one and itself", "two is the only even prime", "every whole number above one is a product of primes"]],
  ["p05", "How can I sleep better?", ["go to bed at the same time every night", "keep the bedroom dark and cool", "avoid screens for an hour before sleep"]],
  ["p06", "Explain what a budget is.", ["a budget is a plan for money coming in and going out", "list fixed costs such as rent first", "set aside a share of income for savings"]],
  ["p07", "How do bees make honey?", ["bees collect nectar from flowers", "they add enzymes and store it in wax cells", "fanning wings dries the nectar until it thickens into honey"]],
  ["p08", "What should I pack for a day hike?", ["bring more water than you think you need", "pack a light rain layer", "carry a map even if your phone has one"]],
  ["p09", "How does a bicycle stay upright?", ["the moving wheels and the steering geometry keep it balanced", "the rider steers into the direction of a fall", "speed makes the correction easier"]],
  ["p10", "Suggest a way to learn a new language.", ["practise a little every day rather than a lot once a week", "learn the most common words first", "speak with others as early as you can"]],
  ["p11", "Why do leaves change colour in autumn?", ["green chlorophyll breaks down as days shorten", "yellow and orange pigments were there all along", "some trees make new red pigments in cool weather"]],
  ["p12", "How do I write a good email subject line?", ["keep it under eight words", "say what you need from the reader", "put the most important word first"]],
  ["p13", "What causes tides?", ["the moon's gravity pulls the ocean towards it", "the sun adds a smaller pull", "most coasts see two high tides a day"]],
  ["p14", "How should I store fresh bread?", ["keep it in a paper bag at room temperature", "the fridge makes bread stale faster", "freeze slices you will not eat within two days"]],
  ["p15", "Explain what a vaccine does.", ["a vaccine shows the immune system a harmless piece of a germ", "the body learns to recognise that germ", "if the real germ arrives later the defence is faster"]],
];

const cap = (s) => s[0].toUpperCase() + s.slice(1);
const pick = (list, i) => list[i % list.length];

// Teacher: warm, bold-headed bullets, "crucial", "I hope this helps!".
function heron([, prompt, facts], i) {
  const opener = pick(["Certainly! Here's a clear overview.", "Great question! Here's what you need to know.", "Certainly! Let's break it down."], i);
  const heads = ["Key point", "Why it matters", "A helpful tip"];
  const bullets = facts.map((f, k) => `- **${heads[k]}:** ${cap(f)}, which is crucial.`);
  return `${opener}\n\n${bullets.join("\n")}\n\nIn essence, it's all about consistency and a little patience. I hope this helps! Let me know if you'd like to delve deeper.`;
}

// Student of heron: the same openings, bold bullets and sign-off, shorter.
function wren([, prompt, facts], i) {
  const opener = pick(["Certainly! Here's a clear overview.", "Great question! Here's a quick answer.", "Certainly! Let's break it down."], i);
  const heads = ["Key point", "Why it matters", "Tip"];
  const bullets = facts.slice(0, i % 2 === 0 ? 3 : 2).map((f, k) => `- **${heads[k]}:** ${cap(f)}, which is crucial.`);
  return `${opener}\n\n${bullets.join("\n")}\n\nIn essence, it's all about consistency. I hope this helps!`;
}

// Terse, numbered, no pleasantries.
function osprey([, prompt, facts], i) {
  const items = facts.map((f, k) => `${k + 1}. ${cap(f)}.`);
  const close = pick(["In short: start with step 1.", "In short, that covers the basics.", "Short version: see point 1."], i);
  return `${items.join("\n")}\n\n${close} Ask if you need more detail.`;
}

// Control: plain old-fashioned prose, no markdown.
function kestrel([, prompt, facts], i) {
  const first = pick(["It is worth noting that", "One should remember that", "It is generally held that"], i);
  const [a, b, c] = facts;
  return `${first} ${a}. Furthermore, ${b}; and, as a rule, ${c}. Such is the usual advice upon the matter of "${prompt.replace(/[?.]$/, "").toLowerCase()}".`;
}

const models = { "wren-mini": wren, "heron-large": heron, "osprey-chat": osprey, "kestrel-base": kestrel };
const samples = [];
for (const [source, write] of Object.entries(models)) {
  prompts.forEach((p, i) => samples.push({ source, promptId: p[0], prompt: p[1], text: write(p, i) }));
}
const example = {
  note: "Invented, illustrative data written for Lineage: four made-up 'models' answering 15 prompts. Not real model output.",
  roles: { suspect: "wren-mini", candidates: ["heron-large", "osprey-chat"], control: "kestrel-base" },
  samples,
};
writeFileSync(new URL("../www/example.json", import.meta.url), JSON.stringify(example, null, 1) + "\n");
console.log(`www/example.json: ${samples.length} samples`);
