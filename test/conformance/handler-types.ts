// Every conformance handler, imported for its types only, so `npm run typecheck` checks them
// (conformance/ is outside tsconfig.json's include list; the harness loads handlers by path).
// handlers.test.ts checks this list against the files: add a line for a new handler.
import type * as conformanceMain from "../../conformance/main.js"; // the CLI, also outside the include list
import type * as engineProcess from "../../conformance/targets/engine-process.js"; // a crashing requirement's child process
import type * as h_callback_4_1 from "../../conformance/handlers/callback/4-1.js";
import type * as h_callback_4_2 from "../../conformance/handlers/callback/4-2.js";
import type * as h_callback_4_3 from "../../conformance/handlers/callback/4-3.js";
import type * as h_callback_4_4 from "../../conformance/handlers/callback/4-4.js";
import type * as h_callback_4_6 from "../../conformance/handlers/callback/4-6.js";
import type * as h_callback_4_7 from "../../conformance/handlers/callback/4-7.js";
import type * as h_callback_4_8 from "../../conformance/handlers/callback/4-8.js";
import type * as h_callback_4_9 from "../../conformance/handlers/callback/4-9.js";
import type * as h_callback_4_11 from "../../conformance/handlers/callback/4-11.js";
import type * as h_callback_4_12 from "../../conformance/handlers/callback/4-12.js";
import type * as h_callback_4_13 from "../../conformance/handlers/callback/4-13.js";
import type * as h_callback_4_14 from "../../conformance/handlers/callback/4-14.js";
import type * as h_callback_4_16 from "../../conformance/handlers/callback/4-16.js";
import type * as h_callback_4_17 from "../../conformance/handlers/callback/4-17.js";
import type * as h_callback_4_18 from "../../conformance/handlers/callback/4-18.js";
import type * as h_callback_4_19 from "../../conformance/handlers/callback/4-19.js";
import type * as h_child_3_1 from "../../conformance/handlers/child/3-1.js";
import type * as h_child_3_2 from "../../conformance/handlers/child/3-2.js";
import type * as h_child_3_3 from "../../conformance/handlers/child/3-3.js";
import type * as h_child_3_4 from "../../conformance/handlers/child/3-4.js";
import type * as h_child_3_6 from "../../conformance/handlers/child/3-6.js";
import type * as h_child_3_7 from "../../conformance/handlers/child/3-7.js";
import type * as h_child_3_8 from "../../conformance/handlers/child/3-8.js";
import type * as h_child_3_9 from "../../conformance/handlers/child/3-9.js";
import type * as h_child_3_11 from "../../conformance/handlers/child/3-11.js";
import type * as h_child_3_12 from "../../conformance/handlers/child/3-12.js";
import type * as h_child_3_13 from "../../conformance/handlers/child/3-13.js";
import type * as h_child_3_14 from "../../conformance/handlers/child/3-14.js";
import type * as h_child_3_16 from "../../conformance/handlers/child/3-16.js";
import type * as h_child_3_17 from "../../conformance/handlers/child/3-17.js";
import type * as h_child_3_18 from "../../conformance/handlers/child/3-18.js";
import type * as h_invoke_5_1 from "../../conformance/handlers/invoke/5-1.js";
import type * as h_invoke_5_2 from "../../conformance/handlers/invoke/5-2.js";
import type * as h_invoke_5_3 from "../../conformance/handlers/invoke/5-3.js";
import type * as h_invoke_5_4 from "../../conformance/handlers/invoke/5-4.js";
import type * as h_invoke_5_6 from "../../conformance/handlers/invoke/5-6.js";
import type * as h_invoke_5_7 from "../../conformance/handlers/invoke/5-7.js";
import type * as h_invoke_5_8 from "../../conformance/handlers/invoke/5-8.js";
import type * as h_invoke_5_9 from "../../conformance/handlers/invoke/5-9.js";
import type * as h_invoke_5_11 from "../../conformance/handlers/invoke/5-11.js";
import type * as h_invoke_5_12 from "../../conformance/handlers/invoke/5-12.js";
import type * as h_invoke_5_13 from "../../conformance/handlers/invoke/5-13.js";
import type * as h_invoke_5_14 from "../../conformance/handlers/invoke/5-14.js";
import type * as h_invoke_5_16 from "../../conformance/handlers/invoke/5-16.js";
import type * as h_map_9_1 from "../../conformance/handlers/map/9-1.js";
import type * as h_map_9_2 from "../../conformance/handlers/map/9-2.js";
import type * as h_map_9_3 from "../../conformance/handlers/map/9-3.js";
import type * as h_map_9_4 from "../../conformance/handlers/map/9-4.js";
import type * as h_map_9_6 from "../../conformance/handlers/map/9-6.js";
import type * as h_map_9_7 from "../../conformance/handlers/map/9-7.js";
import type * as h_map_9_8 from "../../conformance/handlers/map/9-8.js";
import type * as h_map_9_9 from "../../conformance/handlers/map/9-9.js";
import type * as h_map_9_11 from "../../conformance/handlers/map/9-11.js";
import type * as h_map_9_12 from "../../conformance/handlers/map/9-12.js";
import type * as h_map_9_13 from "../../conformance/handlers/map/9-13.js";
import type * as h_map_9_14 from "../../conformance/handlers/map/9-14.js";
import type * as h_map_9_16 from "../../conformance/handlers/map/9-16.js";
import type * as h_map_9_17 from "../../conformance/handlers/map/9-17.js";
import type * as h_map_9_18 from "../../conformance/handlers/map/9-18.js";
import type * as h_map_9_19 from "../../conformance/handlers/map/9-19.js";
import type * as h_parallel_8_1 from "../../conformance/handlers/parallel/8-1.js";
import type * as h_parallel_8_2 from "../../conformance/handlers/parallel/8-2.js";
import type * as h_parallel_8_3 from "../../conformance/handlers/parallel/8-3.js";
import type * as h_parallel_8_4 from "../../conformance/handlers/parallel/8-4.js";
import type * as h_parallel_8_6 from "../../conformance/handlers/parallel/8-6.js";
import type * as h_parallel_8_7 from "../../conformance/handlers/parallel/8-7.js";
import type * as h_parallel_8_8 from "../../conformance/handlers/parallel/8-8.js";
import type * as h_parallel_8_9 from "../../conformance/handlers/parallel/8-9.js";
import type * as h_parallel_8_11 from "../../conformance/handlers/parallel/8-11.js";
import type * as h_parallel_8_12 from "../../conformance/handlers/parallel/8-12.js";
import type * as h_parallel_8_13 from "../../conformance/handlers/parallel/8-13.js";
import type * as h_parallel_8_14 from "../../conformance/handlers/parallel/8-14.js";
import type * as h_parallel_8_16 from "../../conformance/handlers/parallel/8-16.js";
import type * as h_parallel_8_17 from "../../conformance/handlers/parallel/8-17.js";
import type * as h_parallel_8_18 from "../../conformance/handlers/parallel/8-18.js";
import type * as h_parallel_8_19 from "../../conformance/handlers/parallel/8-19.js";
import type * as h_parallel_8_21 from "../../conformance/handlers/parallel/8-21.js";
import type * as h_parallel_8_22 from "../../conformance/handlers/parallel/8-22.js";
import type * as h_step_1_1 from "../../conformance/handlers/step/1-1.js";
import type * as h_step_1_2 from "../../conformance/handlers/step/1-2.js";
import type * as h_step_1_3 from "../../conformance/handlers/step/1-3.js";
import type * as h_step_1_4 from "../../conformance/handlers/step/1-4.js";
import type * as h_step_1_6 from "../../conformance/handlers/step/1-6.js";
import type * as h_step_1_7 from "../../conformance/handlers/step/1-7.js";
import type * as h_step_1_8 from "../../conformance/handlers/step/1-8.js";
import type * as h_step_1_9 from "../../conformance/handlers/step/1-9.js";
import type * as h_step_1_11 from "../../conformance/handlers/step/1-11.js";
import type * as h_step_1_12 from "../../conformance/handlers/step/1-12.js";
import type * as h_step_1_13 from "../../conformance/handlers/step/1-13.js";
import type * as h_step_1_14 from "../../conformance/handlers/step/1-14.js";
import type * as h_step_1_16 from "../../conformance/handlers/step/1-16.js";
import type * as h_step_1_17 from "../../conformance/handlers/step/1-17.js";
import type * as h_step_1_18 from "../../conformance/handlers/step/1-18.js";
import type * as h_step_1_19 from "../../conformance/handlers/step/1-19.js";
import type * as h_wait_2_1 from "../../conformance/handlers/wait/2-1.js";
import type * as h_wait_2_2 from "../../conformance/handlers/wait/2-2.js";
import type * as h_wait_2_3 from "../../conformance/handlers/wait/2-3.js";
import type * as h_wait_2_4 from "../../conformance/handlers/wait/2-4.js";
import type * as h_wait_for_callback_7_1 from "../../conformance/handlers/wait_for_callback/7-1.js";
import type * as h_wait_for_callback_7_2 from "../../conformance/handlers/wait_for_callback/7-2.js";
import type * as h_wait_for_callback_7_3 from "../../conformance/handlers/wait_for_callback/7-3.js";
import type * as h_wait_for_callback_7_4 from "../../conformance/handlers/wait_for_callback/7-4.js";
import type * as h_wait_for_callback_7_6 from "../../conformance/handlers/wait_for_callback/7-6.js";
import type * as h_wait_for_callback_7_7 from "../../conformance/handlers/wait_for_callback/7-7.js";
import type * as h_wait_for_callback_7_8 from "../../conformance/handlers/wait_for_callback/7-8.js";
import type * as h_wait_for_callback_7_9 from "../../conformance/handlers/wait_for_callback/7-9.js";
import type * as h_wait_for_callback_7_11 from "../../conformance/handlers/wait_for_callback/7-11.js";
import type * as h_wait_for_callback_7_12 from "../../conformance/handlers/wait_for_callback/7-12.js";
import type * as h_wait_for_callback_7_13 from "../../conformance/handlers/wait_for_callback/7-13.js";
import type * as h_wait_for_callback_7_14 from "../../conformance/handlers/wait_for_callback/7-14.js";
import type * as h_wait_for_condition_6_1 from "../../conformance/handlers/wait_for_condition/6-1.js";
import type * as h_wait_for_condition_6_2 from "../../conformance/handlers/wait_for_condition/6-2.js";
import type * as h_wait_for_condition_6_3 from "../../conformance/handlers/wait_for_condition/6-3.js";
import type * as h_wait_for_condition_6_4 from "../../conformance/handlers/wait_for_condition/6-4.js";
import type * as h_wait_for_condition_6_6 from "../../conformance/handlers/wait_for_condition/6-6.js";
import type * as h_wait_for_condition_6_7 from "../../conformance/handlers/wait_for_condition/6-7.js";
import type * as h_wait_for_condition_6_8 from "../../conformance/handlers/wait_for_condition/6-8.js";
import type * as h_wait_for_condition_6_9 from "../../conformance/handlers/wait_for_condition/6-9.js";
import type * as h_wait_for_condition_6_11 from "../../conformance/handlers/wait_for_condition/6-11.js";
import type * as h_wait_for_condition_6_12 from "../../conformance/handlers/wait_for_condition/6-12.js";
import type * as h_wait_for_condition_6_13 from "../../conformance/handlers/wait_for_condition/6-13.js";
import type * as h_plugin_10_1 from "../../conformance/handlers/plugin/10-1.js";
import type * as h_plugin_10_2 from "../../conformance/handlers/plugin/10-2.js";
import type * as h_plugin_10_3 from "../../conformance/handlers/plugin/10-3.js";
import type * as h_plugin_10_4 from "../../conformance/handlers/plugin/10-4.js";
import type * as h_plugin_10_6 from "../../conformance/handlers/plugin/10-6.js";
import type * as h_plugin_10_7 from "../../conformance/handlers/plugin/10-7.js";
import type * as h_plugin_10_8 from "../../conformance/handlers/plugin/10-8.js";
import type * as h_plugin_10_9 from "../../conformance/handlers/plugin/10-9.js";
import type * as h_plugin_10_11 from "../../conformance/handlers/plugin/10-11.js";
import type * as h_plugin_10_12 from "../../conformance/handlers/plugin/10-12.js";
import type * as h_plugin_10_13 from "../../conformance/handlers/plugin/10-13.js";
import type * as h_plugin_10_14 from "../../conformance/handlers/plugin/10-14.js";
import type * as h_plugin_10_16 from "../../conformance/handlers/plugin/10-16.js";
import type * as h_plugin_10_17 from "../../conformance/handlers/plugin/10-17.js";
import type * as h_plugin_10_18 from "../../conformance/handlers/plugin/10-18.js";
import type * as h_plugin_10_19 from "../../conformance/handlers/plugin/10-19.js";
import type * as h_plugin_10_21 from "../../conformance/handlers/plugin/10-21.js";
import type * as h_plugin_10_22 from "../../conformance/handlers/plugin/10-22.js";
import type * as h_plugin_10_23 from "../../conformance/handlers/plugin/10-23.js";

export type HandlerModules = [
  typeof conformanceMain,
  typeof engineProcess,
  typeof h_callback_4_1,
  typeof h_callback_4_2,
  typeof h_callback_4_3,
  typeof h_callback_4_4,
  typeof h_callback_4_6,
  typeof h_callback_4_7,
  typeof h_callback_4_8,
  typeof h_callback_4_9,
  typeof h_callback_4_11,
  typeof h_callback_4_12,
  typeof h_callback_4_13,
  typeof h_callback_4_14,
  typeof h_callback_4_16,
  typeof h_callback_4_17,
  typeof h_callback_4_18,
  typeof h_callback_4_19,
  typeof h_child_3_1,
  typeof h_child_3_2,
  typeof h_child_3_3,
  typeof h_child_3_4,
  typeof h_child_3_6,
  typeof h_child_3_7,
  typeof h_child_3_8,
  typeof h_child_3_9,
  typeof h_child_3_11,
  typeof h_child_3_12,
  typeof h_child_3_13,
  typeof h_child_3_14,
  typeof h_child_3_16,
  typeof h_child_3_17,
  typeof h_child_3_18,
  typeof h_invoke_5_1,
  typeof h_invoke_5_2,
  typeof h_invoke_5_3,
  typeof h_invoke_5_4,
  typeof h_invoke_5_6,
  typeof h_invoke_5_7,
  typeof h_invoke_5_8,
  typeof h_invoke_5_9,
  typeof h_invoke_5_11,
  typeof h_invoke_5_12,
  typeof h_invoke_5_13,
  typeof h_invoke_5_14,
  typeof h_invoke_5_16,
  typeof h_map_9_1,
  typeof h_map_9_2,
  typeof h_map_9_3,
  typeof h_map_9_4,
  typeof h_map_9_6,
  typeof h_map_9_7,
  typeof h_map_9_8,
  typeof h_map_9_9,
  typeof h_map_9_11,
  typeof h_map_9_12,
  typeof h_map_9_13,
  typeof h_map_9_14,
  typeof h_map_9_16,
  typeof h_map_9_17,
  typeof h_map_9_18,
  typeof h_map_9_19,
  typeof h_parallel_8_1,
  typeof h_parallel_8_2,
  typeof h_parallel_8_3,
  typeof h_parallel_8_4,
  typeof h_parallel_8_6,
  typeof h_parallel_8_7,
  typeof h_parallel_8_8,
  typeof h_parallel_8_9,
  typeof h_parallel_8_11,
  typeof h_parallel_8_12,
  typeof h_parallel_8_13,
  typeof h_parallel_8_14,
  typeof h_parallel_8_16,
  typeof h_parallel_8_17,
  typeof h_parallel_8_18,
  typeof h_parallel_8_19,
  typeof h_parallel_8_21,
  typeof h_parallel_8_22,
  typeof h_step_1_1,
  typeof h_step_1_2,
  typeof h_step_1_3,
  typeof h_step_1_4,
  typeof h_step_1_6,
  typeof h_step_1_7,
  typeof h_step_1_8,
  typeof h_step_1_9,
  typeof h_step_1_11,
  typeof h_step_1_12,
  typeof h_step_1_13,
  typeof h_step_1_14,
  typeof h_step_1_16,
  typeof h_step_1_17,
  typeof h_step_1_18,
  typeof h_step_1_19,
  typeof h_wait_2_1,
  typeof h_wait_2_2,
  typeof h_wait_2_3,
  typeof h_wait_2_4,
  typeof h_wait_for_callback_7_1,
  typeof h_wait_for_callback_7_2,
  typeof h_wait_for_callback_7_3,
  typeof h_wait_for_callback_7_4,
  typeof h_wait_for_callback_7_6,
  typeof h_wait_for_callback_7_7,
  typeof h_wait_for_callback_7_8,
  typeof h_wait_for_callback_7_9,
  typeof h_wait_for_callback_7_11,
  typeof h_wait_for_callback_7_12,
  typeof h_wait_for_callback_7_13,
  typeof h_wait_for_callback_7_14,
  typeof h_wait_for_condition_6_1,
  typeof h_wait_for_condition_6_2,
  typeof h_wait_for_condition_6_3,
  typeof h_wait_for_condition_6_4,
  typeof h_wait_for_condition_6_6,
  typeof h_wait_for_condition_6_7,
  typeof h_wait_for_condition_6_8,
  typeof h_wait_for_condition_6_9,
  typeof h_wait_for_condition_6_11,
  typeof h_wait_for_condition_6_12,
  typeof h_wait_for_condition_6_13,
  typeof h_plugin_10_1,
  typeof h_plugin_10_2,
  typeof h_plugin_10_3,
  typeof h_plugin_10_4,
  typeof h_plugin_10_6,
  typeof h_plugin_10_7,
  typeof h_plugin_10_8,
  typeof h_plugin_10_9,
  typeof h_plugin_10_11,
  typeof h_plugin_10_12,
  typeof h_plugin_10_13,
  typeof h_plugin_10_14,
  typeof h_plugin_10_16,
  typeof h_plugin_10_17,
  typeof h_plugin_10_18,
  typeof h_plugin_10_19,
  typeof h_plugin_10_21,
  typeof h_plugin_10_22,
  typeof h_plugin_10_23,
];
