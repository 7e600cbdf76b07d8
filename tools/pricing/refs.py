"""Reads the two reference price datasets (LiteLLM, genai-prices) into one shape, for checking the
bundled catalog at development time. The datasets are not part of the project: pass their paths."""
import json, sys
from decimal import Decimal

LITELLM_PROVIDERS = {  # litellm_provider -> Tollgate provider (EndpointCatalog names)
    'openai': 'openai', 'text-completion-openai': 'openai', 'anthropic': 'anthropic', 'gemini': 'gemini',
    'vertex_ai-language-models': 'vertex', 'vertex_ai-anthropic_models': 'vertex', 'vertex_ai-mistral_models': 'vertex',
    'vertex_ai-llama_models': 'vertex', 'vertex_ai': 'vertex', 'vertex_ai-embedding-models': 'vertex', 'azure': 'azure',
    'azure_ai': 'azure', 'mistral': 'mistral', 'groq': 'groq', 'deepseek': 'deepseek', 'together_ai': 'together', 'xai': 'xai', 'fireworks_ai': 'fireworks',
    'fireworks_ai-embedding-models': 'fireworks', 'cohere': 'cohere', 'cohere_chat': 'cohere',
    'openrouter': 'openrouter', 'bedrock': 'bedrock', 'bedrock_converse': 'bedrock', 'ollama': 'ollama'}
GENAI_PROVIDERS = {'openai': 'openai', 'anthropic': 'anthropic', 'google': 'gemini', 'mistral': 'mistral', 'groq': 'groq',
                   'deepseek': 'deepseek', 'together': 'together', 'x-ai': 'xai', 'fireworks': 'fireworks',
                   'cohere': 'cohere', 'openrouter': 'openrouter', 'azure': 'azure', 'aws': 'bedrock'}
M = Decimal(1_000_000)

def per_million(text):
    return (Decimal(text) * M).normalize()

def litellm(path):
    raw = json.load(open(path), parse_float=Decimal)
    out = []
    for key, v in raw.items():
        if not isinstance(v, dict) or v.get('litellm_provider') not in LITELLM_PROVIDERS:
            continue
        if v.get('mode') not in (None, 'chat', 'completion', 'embedding', 'responses'):
            continue
        if 'input_cost_per_token' not in v or 'output_cost_per_token' not in v:
            continue
        prov = LITELLM_PROVIDERS[v['litellm_provider']]
        prefix = v['litellm_provider'].split('-')[0].split('_ai')[0] + '/'
        name = key
        for p in (v['litellm_provider'] + '/', prefix, prov + '/', 'vertex_ai/', 'azure_ai/', 'together_ai/', 'fireworks_ai/'):
            if name.startswith(p):
                name = name[len(p):]
                break
        e = {'src': 'litellm', 'key': key, 'provider': prov, 'model': name,
             'input': per_million(v['input_cost_per_token']), 'output': per_million(v['output_cost_per_token'])}
        for f, lf in (('cached_input', 'cache_read_input_token_cost'), ('cache_write', 'cache_creation_input_token_cost'),
                      ('cache_write_1h', 'cache_creation_input_token_cost_above_1hr')):
            if lf in v:
                e[f] = per_million(v[lf])
        for t in ('128k', '200k', '256k', '272k'):
            if 'input_cost_per_token_above_%s_tokens' % t in v:
                lc = {'threshold_tokens': int(t[:-1]) * 1000}
                for f, lf in (('input', 'input_cost_per_token'), ('output', 'output_cost_per_token'),
                              ('cached_input', 'cache_read_input_token_cost'), ('cache_write', 'cache_creation_input_token_cost')):
                    if '%s_above_%s_tokens' % (lf, t) in v:
                        lc[f] = per_million(v['%s_above_%s_tokens' % (lf, t)])
                e['long_context'] = lc
        if isinstance(v.get('max_output_tokens'), (int, Decimal)):
            e['max_output_tokens'] = int(v['max_output_tokens'])
        out.append(e)
    return out

def _price(p):
    if isinstance(p, dict):
        return Decimal(str(p['base'])), p.get('tiers') or []
    return Decimal(str(p)), []

def genai(path):
    raw = json.load(open(path))
    out = []
    for prov in raw:
        if prov['id'] not in GENAI_PROVIDERS:
            continue
        for m in prov['models']:
            prices = m['prices']
            if isinstance(prices, list):  # history: the newest unconstrained-or-latest entry is current
                prices = sorted(prices, key=lambda x: (x.get('constraint') or {}).get('start_date', ''))[-1]['prices']
            if 'input_mtok' not in prices or 'output_mtok' not in prices:
                continue
            names = {m['id']} | set(_equals(m['match']))
            for name in names:
                e = {'src': 'genai', 'provider': GENAI_PROVIDERS[prov['id']], 'model': name, 'id': m['id'],
                     'checked': m.get('prices_checked')}
                lc = {}
                for f, g in (('input', 'input_mtok'), ('output', 'output_mtok'), ('cached_input', 'cache_read_mtok'),
                             ('cache_write', 'cache_write_mtok'), ('cache_write_1h', 'cache_write_1h_mtok')):
                    if g in prices:
                        base, tiers = _price(prices[g])
                        e[f] = base.normalize()
                        if tiers and f != 'cache_write_1h':
                            lc['threshold_tokens'] = tiers[0]['start']
                            lc[f] = Decimal(str(tiers[0]['price'])).normalize()
                if lc:
                    e['long_context'] = lc
                out.append(e)
    return out

def _equals(match):
    if 'equals' in match:
        yield match['equals']
    for k in ('or', 'and'):
        for sub in match.get(k, []):
            yield from _equals(sub)

if __name__ == '__main__':
    refs = litellm(sys.argv[1]) + genai(sys.argv[2])
    json.dump(refs, sys.stdout, default=str, indent=0)
