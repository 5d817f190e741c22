/** The platform's version (package.json), recorded in every model version's lineage and shown by `serverInfo`. */
import path from 'node:path';
import { projectRoot } from './paths';

export const PLATFORM_VERSION: string = require(path.join(projectRoot(), 'package.json')).version;
