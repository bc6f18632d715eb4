export { runDoctor, type DoctorOptions, type DoctorReport } from "./doctor.js";
export { DoctorInputError } from "./discover.js";
export { CHECK_IDS, type CheckId, type DoctorFinding } from "./finding.js";
export { formatJson, formatSarif, formatText } from "./report.js";
