"""Adds the cloud hosts' price tables to the bundled catalog, at development time only.

    python3 tools/pricing/hosts.py LITELLM.json GENAI-PRICES.json CHECKED-DATE

- providers.azure: Azure OpenAI's Global deployment prices (OpenAI's list prices, as genai-prices gives
  for Azure OpenAI) for every Azure OpenAI model LiteLLM lists, and the Azure AI Foundry models that would
  otherwise take another host's price (Grok, DeepSeek, Mistral, Command R+), from LiteLLM's azure_ai entries.
- providers.vertex: Gemini on Vertex AI and Claude on Vertex AI (rawPredict), at the prices genai-prices
  gives for both Google hosts and for Anthropic.
- providers.openrouter: the Anthropic, Google, OpenAI and xAI models whose OpenRouter entries would otherwise
  take the vendor's entry without a word on what the datasets say.
- providers.bedrock: Claude Opus 4.7/4.8/5 and Fable 5 (in-region ids 10% above the global. profile, as for
  Claude 4.5), 1-hour cache writes and the long-context tier where Bedrock bills them, and notes.

Each entry is copied from the vendor's model-only entry (the price it charges) unless the host prices it
otherwise, carries source and checked, and its notes say where LiteLLM's entries for that host differ,
so that `tollgate prices --diff LITELLM.json` has no disagreement left unexplained. Idempotent: run it
after generate.py; review the diff of catalog.json before committing."""
import collections, json, sys
from decimal import Decimal
import generate, refs
from generate import D, write, CATALOG

AZURE_PAGE = 'https://azure.microsoft.com/en-us/pricing/details/cognitive-services/openai-service/'
FOUNDRY_PAGE = 'https://azure.microsoft.com/en-us/pricing/details/ai-foundry-models/'
VERTEX_PAGE = 'https://cloud.google.com/vertex-ai/generative-ai/pricing'
PRICE_FIELDS = ['input', 'cached_input', 'cache_write', 'cache_write_1h', 'output', 'long_context', 'max_output_tokens']
FIELDS = ['input', 'cached_input', 'cache_write', 'cache_write_1h', 'output']
CACHE_FIELDS = ['cached_input', 'cache_write', 'cache_write_1h']
VENDOR_NAMES = {'anthropic': 'Anthropic', 'google': 'Google', 'openai': 'OpenAI', 'xai': 'xAI', 'deepseek': 'DeepSeek',
                'mistral': 'Mistral', 'cohere': 'Cohere'}

# Azure OpenAI: the name a response gives -> the OpenAI model whose list price the Global deployment charges.
AZURE_OPENAI = collections.OrderedDict([
    ('gpt-35-turbo', 'gpt-3.5-turbo'), ('gpt-35-turbo-1106', 'gpt-3.5-turbo-1106'), ('gpt-35-turbo-16k', 'gpt-3.5-turbo-16k'),
    ('gpt-4', 'gpt-4'), ('gpt-4-32k', 'gpt-4-32k'), ('gpt-4-turbo', 'gpt-4-turbo'), ('gpt-4-0125-preview', 'gpt-4-0125-preview'),
    ('gpt-4-1106-preview', 'gpt-4-1106-preview'), ('gpt-4-turbo-vision-preview', 'gpt-4-vision-preview'),
    ('gpt-4o', 'gpt-4o'), ('gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'), ('gpt-4o-mini', 'gpt-4o-mini'),
    ('gpt-4o-audio-preview', 'gpt-4o-audio-preview'), ('gpt-4o-mini-audio-preview', 'gpt-4o-mini-audio-preview'),
    ('gpt-audio', 'gpt-audio'), ('gpt-audio-mini', 'gpt-audio-mini'), ('gpt-audio-1.5', 'gpt-audio-1.5'),
    ('gpt-4.1', 'gpt-4.1'), ('gpt-4.1-mini', 'gpt-4.1-mini'), ('gpt-4.1-nano', 'gpt-4.1-nano'), ('gpt-4.5-preview', 'gpt-4.5-preview'),
    ('gpt-5', 'gpt-5'), ('gpt-5-mini', 'gpt-5-mini'), ('gpt-5-nano', 'gpt-5-nano'), ('gpt-5-codex', 'gpt-5-codex'), ('gpt-5-pro', 'gpt-5-pro'),
    ('gpt-5.1', 'gpt-5.1'), ('gpt-5.1-chat', 'gpt-5.1-chat'), ('gpt-5.1-codex', 'gpt-5.1-codex'),
    ('gpt-5.1-codex-mini', 'gpt-5.1-codex-mini'), ('gpt-5.1-codex-max', 'gpt-5.1-codex-max'),
    ('gpt-5.2', 'gpt-5.2'), ('gpt-5.2-chat', 'gpt-5.2-chat'), ('gpt-5.2-codex', 'gpt-5.2-codex'), ('gpt-5.2-pro', 'gpt-5.2-pro'),
    ('gpt-5.3-chat', 'gpt-5.3-chat'), ('gpt-5.3-codex', 'gpt-5.3-codex'),
    ('gpt-5.4', 'gpt-5.4'), ('gpt-5.4-pro', 'gpt-5.4-pro'), ('gpt-5.4-mini', 'gpt-5.4-mini'), ('gpt-5.4-nano', 'gpt-5.4-nano'),
    ('gpt-5.5', 'gpt-5.5'), ('gpt-5.5-pro', 'gpt-5.5-pro'),
    ('gpt-5.6', 'gpt-5.6'), ('gpt-5.6-sol', 'gpt-5.6-sol'), ('gpt-5.6-terra', 'gpt-5.6-terra'), ('gpt-5.6-luna', 'gpt-5.6-luna'),
    ('o1', 'o1'), ('o1-mini', 'o1-mini'), ('o1-preview', 'o1-preview'), ('o3', 'o3'), ('o3-mini', 'o3-mini'), ('o3-pro', 'o3-pro'),
    ('o3-deep-research', 'o3-deep-research'), ('o4-mini', 'o4-mini'), ('codex-mini', 'codex-mini'),
    ('text-embedding-3-large', 'text-embedding-3-large'), ('text-embedding-3-small', 'text-embedding-3-small'),
    ('text-embedding-ada-002', 'text-embedding-ada-002')])
AZURE_ALIASES = {'gpt-35-turbo-0125': 'gpt-35-turbo', 'gpt-35-turbo-16k-0613': 'gpt-35-turbo-16k', 'gpt-4-0613': 'gpt-4',
                 'gpt-4-32k-0613': 'gpt-4-32k', 'gpt-5-chat': 'gpt-5', 'gpt-5-chat-latest': 'gpt-5', 'ada': 'text-embedding-ada-002'}
AZURE_NOTE = 'Global deployment price (OpenAI\'s list price); Data Zone deployments cost 10% more, which a call does not show.'
# What LiteLLM's differing Azure entries are, where it can be told.
AZURE_NOTES = {
    'gpt-4o': 'LiteLLM\'s azure/gpt-4o-2024-11-20 is the Data Zone price, and its us/eu entries swap cached_input and cache_write.',
    'gpt-4o-mini': 'LiteLLM\'s azure/gpt-4o-mini entries are the Data Zone price.',
    'o1-mini': 'LiteLLM\'s azure/o1-mini is the Data Zone price (its azure/o1-mini-2024-09-12 is the Global one).',
    'gpt-4o-mini-audio-preview': 'LiteLLM\'s entry gives gpt-4o-audio-preview\'s price.',
    'gpt-5.6-terra': 'The datasets disagree on the price itself; genai-prices, the newer, is used, as for OpenAI\'s entry.',
    'gpt-5.6-luna': 'The datasets disagree on the price itself; genai-prices, the newer, is used, as for OpenAI\'s entry.',
}
# Azure AI Foundry models whose name would otherwise take another host's price: LiteLLM's azure_ai price.
FOUNDRY = ['grok-3', 'grok-3-mini', 'grok-4', 'grok-4-fast-reasoning', 'grok-4-fast-non-reasoning', 'grok-4-1-fast-reasoning',
           'grok-4-1-fast-non-reasoning', 'grok-code-fast-1', 'deepseek-v3.2', 'deepseek-v3.2-speciale', 'deepseek-v4-pro',
           'deepseek-v4-flash', 'mistral-large', 'mistral-large-latest', 'mistral-small', 'command-r-plus']
FOUNDRY_NOTE = ('Azure AI Foundry\'s price, which differs from %s\'s own; only LiteLLM prices it on Azure, with no cached-input '
                'price, so cache hits are charged at the input price.')

VERTEX_GEMINI = ['gemini-2.0-flash', 'gemini-2.0-flash-lite', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite',
                 'gemini-3-pro', 'gemini-3.1-pro', 'gemini-3-flash', 'gemini-3.1-flash-lite', 'gemini-3.5-flash',
                 'gemini-3.5-flash-lite', 'gemini-3.6-flash', 'gemini-omni-flash-preview']
VERTEX_CLAUDE = ['claude-3-haiku', 'claude-3-opus', 'claude-3-5-haiku', 'claude-3-5-sonnet', 'claude-3-7-sonnet', 'claude-sonnet-4',
                 'claude-opus-4', 'claude-opus-4-1', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-5', 'claude-sonnet-4-6',
                 'claude-opus-4-6', 'claude-opus-4-7', 'claude-opus-4-8', 'claude-opus-5', 'claude-sonnet-5', 'claude-fable-5']
VERTEX_EMBEDDINGS = {'gemini-embedding-001': D('0.15'), 'gemini-embedding-2': D('0.2')}
VERTEX_ALIASES = {'claude-3-5-sonnet-v2': 'claude-3-5-sonnet', 'gemini-3.1-flash-lite-preview': 'gemini-3.1-flash-lite',
                  'gemini-3.1-pro-preview-customtools': 'gemini-3.1-pro'}
VERTEX_GEMINI_NOTE = 'The Gemini API\'s paid-tier price, the same on Vertex AI.'
VERTEX_CLAUDE_NOTE = 'Anthropic\'s price on the global endpoint; regional ones cost 10% more for Claude 4.5 and later, which is not priced.'

OPENROUTER = collections.OrderedDict([
    ('anthropic/claude-3-haiku', 'claude-3-haiku'), ('anthropic/claude-3.5-sonnet', 'claude-3-5-sonnet'),
    ('anthropic/claude-3.7-sonnet', 'claude-3-7-sonnet'), ('anthropic/claude-opus-4', 'claude-opus-4'),
    ('anthropic/claude-opus-4.5', 'claude-opus-4-5'), ('anthropic/claude-opus-4.6', 'claude-opus-4-6'),
    ('anthropic/claude-opus-4.7', 'claude-opus-4-7'), ('anthropic/claude-haiku-4.5', 'claude-haiku-4-5'),
    ('anthropic/claude-sonnet-4', 'claude-sonnet-4'), ('anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'),
    ('anthropic/claude-sonnet-4.6', 'claude-sonnet-4-6'), ('google/gemini-2.0-flash-001', 'gemini-2.0-flash'),
    ('google/gemini-2.5-flash', 'gemini-2.5-flash'), ('google/gemini-2.5-pro', 'gemini-2.5-pro'), ('openai/gpt-3.5-turbo', 'gpt-3.5-turbo'),
    ('openai/gpt-4o', 'gpt-4o'), ('openai/o3-mini', 'o3-mini'), ('x-ai/grok-4', 'grok-4')])
OPENROUTER_NOTE = 'OpenRouter passes %s\'s price through, cache reads and writes included.'

BEDROCK_NEW = ['claude-opus-4-7', 'claude-opus-4-8', 'claude-opus-5', 'claude-fable-5']
BEDROCK_IN_REGION = ('In-region and geo profiles (us., eu., jp., au.) are billed 10% above the global. profile, whose own entry '
                     'has the lower rate; genai-prices gives this rate, LiteLLM the global one for the base id.')
BEDROCK_GLOBAL = 'The global. profile, at Anthropic\'s list price; in-region and geo profiles are billed 10% above it.'
BEDROCK_1H = ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
              'anthropic.claude-haiku-4-5-20251001-v1:0', 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
              'anthropic.claude-opus-4-5-20251101-v1:0', 'global.anthropic.claude-opus-4-5-20251101-v1:0',
              'anthropic.claude-sonnet-4-6', 'global.anthropic.claude-sonnet-4-6', 'anthropic.claude-opus-4-6-v1',
              'global.anthropic.claude-opus-4-6-v1']
BEDROCK_LONG = ['anthropic.claude-sonnet-4-20250514-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0',
                'global.anthropic.claude-sonnet-4-5-20250929-v1:0']
BEDROCK_NOTES = {
    'anthropic.claude-3-5-sonnet-20240620-v1:0': 'LiteLLM adds a tier above 200k input tokens, which a 200k-token context window cannot reach; GovCloud (us-gov-…) bills 20% more, which is not modelled (a call is priced by its model id, not its region).',
    'anthropic.claude-3-5-sonnet-20241022-v2:0': 'LiteLLM adds a tier above 200k input tokens, which a 200k-token context window cannot reach.',
    'anthropic.claude-3-7-sonnet-20250219-v1:0': 'GovCloud (us-gov-…) bills 20% more (LiteLLM: 3.6/18), which is not modelled: a call is priced by its model id, not its region.',
    'anthropic.claude-3-5-haiku-20241022-v1:0': 'LiteLLM\'s eu. profile entry gives Claude 3 Haiku\'s price (0.25/1.25), an error in that entry.',
    'meta.llama3-70b-instruct-v1:0': 'us-east-1\'s price. Other regions bill more (LiteLLM: ap-south-1 3.18/4.2, ca-central-1 3.05/4.03, eu-west-1 2.86/3.78, eu-west-2 3.45/4.55, sa-east-1 4.45/5.88, GovCloud more), which is not modelled: a call is priced by its model id, not its region.',
    'meta.llama3-8b-instruct-v1:0': 'us-east-1\'s price. Other regions bill more (LiteLLM: ap-south-1 0.36/0.72, ca-central-1 0.35/0.69, eu-west-1 0.32/0.65, eu-west-2 0.39/0.78, sa-east-1 0.5/1.01; its GovCloud output of 2.65 is an error), which is not modelled: a call is priced by its model id, not its region.',
    'meta.llama3-2-1b-instruct-v1:0': 'The eu. profile bills 0.13/0.13 (LiteLLM; genai-prices has no price for it): a pricing-file entry for eu.meta.llama3-2-1b-instruct-v1:0 charges it.',
    'meta.llama3-2-3b-instruct-v1:0': 'The eu. profile bills 0.19/0.19 (LiteLLM; genai-prices has no price for it): a pricing-file entry for eu.meta.llama3-2-3b-instruct-v1:0 charges it.',
}
MODEL_NOTES = {
    'claude-3-haiku': 'LiteLLM\'s claude-3-haiku-20240307 gives a 1-hour cache write of 6, an error in that entry: Anthropic\'s 1-hour write is 2x input.',
    'claude-3-opus': 'LiteLLM\'s claude-3-opus-20240229 gives a 1-hour cache write of 6, an error in that entry: Anthropic\'s 1-hour write is 2x input.',
    'claude-3-7-sonnet': 'LiteLLM\'s Bedrock entry anthropic.claude-3-7-sonnet-20240620-v1:0 (3.6/18, GovCloud\'s price) names an id Bedrock does not have; Bedrock\'s is anthropic.claude-3-7-sonnet-20250219-v1:0.',
}


def main(litellm_path, genai_path, checked):
    cat = json.load(open(CATALOG), parse_float=Decimal, object_pairs_hook=collections.OrderedDict)
    lite = collections.defaultdict(dict)
    for e in refs.litellm(litellm_path):
        lite[e['provider']][e['model']] = e
    genai = {(e['provider'], e['model']): e for e in refs.genai(genai_path)}
    cat['sources'].update({'azure': AZURE_PAGE, 'vertex': VERTEX_PAGE})
    for name in ('claude-sonnet-4', 'claude-sonnet-4-5'):  # the 1M window's 1-hour write: 2x its input, as genai-prices gives
        tier = cat['models'][name]['long_context']
        tier['cache_write_1h'] = (D(tier['input']) * 2).normalize()
    provs = cat['providers']
    provs['azure'] = azure(cat, lite['azure'], genai, checked)
    provs['vertex'] = vertex(cat, lite['vertex'], checked)
    openrouter(cat, provs['openrouter'], lite['openrouter'], genai, checked)
    bedrock(cat, provs['bedrock'], checked)
    for name, note in MODEL_NOTES.items():
        add_note(cat['models'][name], note)
    write(cat)


def copied(src, source, checked, note):
    e = collections.OrderedDict((f, src[f]) for f in PRICE_FIELDS if f in src)
    e['source'] = source
    e['checked'] = checked
    e['notes'] = note
    return e


def from_genai(g, l):
    e = collections.OrderedDict((f, D(g[f])) for f in FIELDS if g.get(f) is not None)
    e['max_output_tokens'] = (l or {}).get('max_output_tokens') or 4096
    return e


def azure(cat, lite, genai, checked):
    models = collections.OrderedDict()
    for name, openai in AZURE_OPENAI.items():
        src = cat['models'].get(openai) or (cat['models'][cat['aliases'][openai]] if openai in cat['aliases'] else None)
        if src is None:
            src = from_genai(genai[('openai', openai)], lite.get(name))
        whose = 'Azure\'s' if name.startswith('text-embedding') else 'OpenAI\'s'  # genai-prices lists embeddings under Azure
        source = 'genai-prices (snapshot 2026-08-21: %s %s) and LiteLLM (snapshot 2026-07-24: azure/%s)' % (whose, openai, name)
        models[name] = copied(src, source, checked, AZURE_NOTE)
    for name in FOUNDRY:
        l = lite[name]
        vendor = cat['models'].get(name) or cat['models'].get(cat['aliases'].get(name, ''), {})
        e = collections.OrderedDict([('input', l['input']), ('output', l['output']),
                                     ('max_output_tokens', l.get('max_output_tokens') or vendor.get('max_output_tokens') or 4096)])
        e['source'] = 'LiteLLM (snapshot 2026-07-24: %s); Azure AI Foundry\'s page is %s' % (l['key'], FOUNDRY_PAGE)
        e['checked'] = checked
        e['notes'] = FOUNDRY_NOTE % VENDOR_NAMES.get(vendor.get('provider'), 'the vendor')
        models[name] = e
    table = collections.OrderedDict([('models', models), ('aliases', collections.OrderedDict(sorted(AZURE_ALIASES.items())))])
    explain(table, lite)
    for name, note in AZURE_NOTES.items():
        add_note(models[name], note)
    return table


def vertex(cat, lite, checked):
    models = collections.OrderedDict()
    for name in VERTEX_GEMINI:
        source = 'genai-prices (snapshot 2026-08-21: one price for both Google hosts) and LiteLLM (snapshot 2026-07-24)'
        models[name] = copied(cat['models'][name], source, checked, VERTEX_GEMINI_NOTE)
    for name, price in VERTEX_EMBEDDINGS.items():
        e = collections.OrderedDict([('input', price), ('output', D(0)), ('max_output_tokens', 1)])
        models[name] = copied(e, 'genai-prices (snapshot 2026-08-21) and LiteLLM (snapshot 2026-07-24), which agree', checked,
                              'An embedding: input tokens only.')
    for name in VERTEX_CLAUDE:
        source = 'genai-prices (snapshot 2026-08-21: Anthropic\'s price on Google\'s hosts) and LiteLLM (snapshot 2026-07-24)'
        models[name] = copied(cat['models'][name], source, checked, VERTEX_CLAUDE_NOTE)
    aliases = collections.OrderedDict(VERTEX_ALIASES)
    for a, target in cat['aliases'].items():
        if target in models:
            aliases[a] = target
    table = collections.OrderedDict([('models', models), ('aliases', collections.OrderedDict(sorted(aliases.items())))])
    explain(table, lite)
    return table


def openrouter(cat, table, lite, genai, checked):
    for name, vendor_name in OPENROUTER.items():
        src = cat['models'][vendor_name]
        agree = [label for label, e in (('genai-prices (snapshot 2026-08-21)', genai.get(('openrouter', name))),
                                        ('LiteLLM (snapshot 2026-07-24)', lite.get(name)))
                 if e is not None and D(e['input']) == D(src['input']) and D(e['output']) == D(src['output'])]
        source = '%s\'s price (%s); %s give%s its input and output' % (
            VENDOR_NAMES[src['provider']], vendor_name, ' and '.join(agree), '' if len(agree) > 1 else 's')
        table['models'][name] = copied(src, source, checked, OPENROUTER_NOTE % VENDOR_NAMES[src['provider']])
    explain(table, lite, only=list(OPENROUTER) + ['qwen/qwen3.5-plus-02-15'])


def bedrock(cat, table, checked):
    m = table['models']
    for name in BEDROCK_NEW:
        base, glob = 'anthropic.' + name, 'global.anthropic.' + name
        src = cat['models'][name]
        for key, factor in ((base, D('1.1')), (glob, D(1))):
            e = collections.OrderedDict()
            for f in FIELDS:
                e[f] = (D(src[f]) * factor).normalize()
            e['max_output_tokens'] = src['max_output_tokens']
            e['source'] = ('genai-prices (snapshot 2026-08-21) and LiteLLM (snapshot 2026-07-24); AWS\'s list is '
                           'https://aws.amazon.com/bedrock/pricing/')
            e['checked'] = checked
            e['notes'] = BEDROCK_IN_REGION if key == base else BEDROCK_GLOBAL
            m[key] = e
    for key in BEDROCK_1H:  # Bedrock bills the 1-hour cache write of Claude 4.5 and later at 2x input, as Anthropic does
        m[key]['cache_write_1h'] = (D(m[key]['input']) * 2).normalize()
    for key in BEDROCK_LONG:  # the 1M-token context window's tier, as Anthropic bills it (x1.1 on in-region ids)
        factor = D(m[key]['input']) / D(3)
        m[key]['long_context'] = collections.OrderedDict([
            ('threshold_tokens', 200000), ('input', (6 * factor).normalize()), ('cached_input', (D('0.6') * factor).normalize()),
            ('cache_write', (D('7.5') * factor).normalize()), ('output', (D('22.5') * factor).normalize())])
        if 'cache_write_1h' in m[key]:
            m[key]['long_context']['cache_write_1h'] = (12 * factor).normalize()
    for key, note in BEDROCK_NOTES.items():
        add_note(m[key], note)


def add_note(e, note):
    if note not in (e.get('notes') or ''):
        e['notes'] = (e['notes'] + ' ' + note) if e.get('notes') else note


def explain(table, lite, only=None):
    """Appends to each entry what LiteLLM's entries for this host that resolve to it give otherwise."""
    said = collections.defaultdict(list)
    for name, l in lite.items():
        if only is not None and name not in only:
            continue
        ours_name = resolve_name(table, name)
        if ours_name is None:
            continue
        e = table['models'][ours_name]
        regional = name.split('/')[0] in ('us', 'eu')  # LiteLLM's Azure Data Zone entries: azure/us/…, azure/eu/…
        diffs = [said_of(l, f) for f in FIELDS
                 if generate.value(l, f) != generate.value(e, f) and (f in l or f in e or f in ('input', 'output'))
                 and not (regional and ten_percent(generate.value(e, f), generate.value(l, f)))]
        if all(said_of(l, f).startswith('no ') for f in CACHE_FIELDS) and all(said_of(l, f) in diffs for f in CACHE_FIELDS):
            diffs = [d for d in diffs if d not in [said_of(l, f) for f in CACHE_FIELDS]] + ['no cache prices']
        if ('long_context' in l) != ('long_context' in e) and not regional:
            diffs.append('a long-context tier above %s tokens' % l['long_context']['threshold_tokens'] if 'long_context' in l
                         else 'no long-context tier')
        if diffs:
            said[ours_name].append('LiteLLM\'s %s gives %s.' % (l['key'], ', '.join(diffs)))
    for name, lines in said.items():
        add_note(table['models'][name], ' '.join(lines))


def said_of(l, f):
    """What LiteLLM's entry gives for field f: its price, or that it has none (then the default applies)."""
    if f in l:
        return '%s %s' % (f, plain(l[f]))
    return 'no %s price' % f if f != 'cache_write_1h' or 'cache_write' not in l else 'cache_write_1h %s' % plain(l['cache_write'])


def plain(d):
    return format(D(d).normalize(), 'f')


def ten_percent(ours, theirs):
    return abs(theirs - ours * D('1.1')) <= ours * D('0.011') + D('0.0051')


def resolve_name(table, name):
    """The name of the entry of table that name resolves to, or None."""
    e = generate.resolve(table, name)
    return None if e is None else next(k for k, v in table['models'].items() if v is e)


if __name__ == '__main__':
    main(*sys.argv[1:4])
