import type { TSESLint } from "@typescript-eslint/utils";
import { createConfigs } from "./configs.js";
import { rules } from "./rules/index.js";

const plugin = {
  meta: { name: "replayable", version: "0.1.0" },
  rules,
  configs: {} as ReturnType<typeof createConfigs>,
};
// The configs reference the plugin object itself, as flat config expects.
plugin.configs = createConfigs(plugin as unknown as TSESLint.FlatConfig.Plugin);

export { rules };
export default plugin;
