import { runAction } from '@mlops/kit/github-runner';
import { main } from './main.ts';

await runAction('serving-check', main);
