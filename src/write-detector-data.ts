/**
 * Part of `npm run build` (`node dist/write-detector-data.js`): writes ELD's small database
 * as JSON beside the built language detection, which then starts without compiling it.
 */
import { writeFileSync } from 'node:fs';
import { DETECTOR_DATA, packDetectorData } from './core/language-data.js';

writeFileSync(DETECTOR_DATA, await packDetectorData());
