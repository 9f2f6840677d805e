// Copies GOV.UK Frontend's ES module build next to our own script.
import { copyFileSync, mkdirSync } from "node:fs";

mkdirSync("static/dist", { recursive: true });
copyFileSync(
  "node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js",
  "static/dist/govuk-frontend.min.js",
);
copyFileSync("static/src/app.js", "static/dist/app.js");
