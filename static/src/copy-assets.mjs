// Copies into static/dist what the build does not compile: GOV.UK Frontend's ES module build
// next to our own script, and the Urdu web font (the Arabic-script files only, in woff2: every
// browser that runs our CSS reads woff2, and Urdu pages need no other script from this font).
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("static/dist/fonts", { recursive: true });
copyFileSync(
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js",
  "static/dist/govuk-frontend.min.js",
);
copyFileSync("static/src/app.js", "static/dist/app.js");

const nastaliq = "node_modules/@fontsource/noto-nastaliq-urdu";
copyFileSync(`${nastaliq}/LICENSE`, "static/dist/fonts/noto-nastaliq-urdu-LICENSE.txt");
for (const weight of [400, 700]) {
  const name = `noto-nastaliq-urdu-arabic-${weight}-normal.woff2`;
  copyFileSync(`${nastaliq}/files/${name}`, `static/dist/fonts/${name}`);
}
