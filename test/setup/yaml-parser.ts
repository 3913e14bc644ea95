// Tests call the synchronous config parsers directly; the actions load the YAML parser before they parse.
import { loadYamlParser } from '@mlops/kit/yaml-source';

await loadYamlParser();
