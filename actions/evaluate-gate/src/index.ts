import { runAction } from '@mlops/kit/github-runner';
import { main } from './main.ts';

void runAction('evaluate-gate', main);
