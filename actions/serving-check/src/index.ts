import { runAction } from '@mlops/kit/github-runner';
import { main } from './main.ts';

void runAction('serving-check', main);
