"""Word lists for generated game titles and metadata."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ADJECTIVES: tuple[str, ...] = _words(
    """Ancient Atomic Blazing Bright Broken Burning Cosmic Crimson Crystal Cyber Dark Desert
    Distant Electric Emerald Endless Eternal Fallen Fearless Final Frozen Galactic Ghostly Golden
    Grand Haunted Hidden Hollow Hyper Infinite Iron Jade Last Lost Lucky Lunar Mad Magic Mighty
    Mystic Neon Nocturnal Obsidian Phantom Primal Quantum Radiant Rapid Red Rogue Royal Rusty
    Sacred Savage Scarlet Secret Shadow Shattered Silent Silver Sky Solar Sonic Spectral Star
    Steel Stormy Super Swift Thunder Tiny Turbo Twilight Ultra Velvet Violet Wild Wicked Winter
    Wonder"""
)
NOUNS: tuple[str, ...] = _words(
    """Abyss Alchemist Arena Armada Atlas Avalanche Badger Bandit Baron Beacon Blade Blaster
    Bounty Brawler Canyon Castle Cavern Champion Chaser Citadel Comet Corsair Crusader Dagger
    Dragon Drifter Dungeon Dynamo Eclipse Empire Falcon Fortress Frontier Galaxy Gambit Garden
    Gauntlet Giant Glider Golem Griffin Guardian Harbor Harvest Hunter Island Jungle Kingdom Knight
    Labyrinth Legacy Lighthouse Machine Mage Mirage Monarch Monster Nebula Ninja Nomad Oasis Odyssey
    Oracle Outlaw Paladin Panther Phoenix Pilot Pirate Planet Prophecy Pyramid Racer Ranger Raven
    Realm Rebel Relic Rider Robot Rocket Ronin Runner Sage Samurai Sentinel Serpent Shogun Signal
    Sorcerer Spark Spirit Squadron Storm Summit Sword Temple Tempest Titan Tower Trail Treasure
    Tribe Tundra Valley Vanguard Viper Voyager Warden Warrior Wizard Wolf Zephyr"""
)
HEROES: tuple[str, ...] = _words(
    """Ace Alex Ayla Bolt Chip Coco Dash Dexter Echo Felix Finn Gus Hana Iris Jax Juno Kai Kiki
    Leo Luna Max Mika Milo Nia Ollie Pip Quinn Rex Rio Rosa Sam Sasha Taro Tess Toby Vera Zack
    Zelda Ziggy Yuki"""
)
PLACES: tuple[str, ...] = _words(
    """Avalon Atlantis Babylon Brightwater Cinderfall Dawnport Eldoria Frostvale Glimmerdeep
    Highmoor Ironhold Kaleido Lumina Mistwood Neo-Tokyo Northreach Oakheart Portia Ravenmoor
    Sandspire Silverlake Starfall Stonehenge Sunhaven Thornwall Valoria Westmarch Zanzibar"""
)
SUFFIXES: tuple[str, ...] = (
    "Quest", "Saga", "Chronicles", "Legends", "Adventure", "Tactics", "Racing", "Soccer", "Fighter",
    "Deluxe", "Turbo", "Remix", "Story", "Odyssey", "Rush", "Party", "Heroes", "World", "Land",
    "Kart", "Tennis", "Golf", "Wars", "Arena", "Mania", "Zero", "Origins", "Revenge", "Returns",
    "Unleashed", "Reloaded", "Tournament", "Showdown", "Puzzle", "Pinball",
)  # fmt: skip
ROMAN: tuple[str, ...] = ("II", "III", "IV", "V", "2", "3", "64", "Advance", "DX", "EX")

REGION_TAGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("USA", ("USA",)),
    ("USA", ("USA",)),
    ("USA", ("USA",)),
    ("Europe", ("Europe",)),
    ("Europe", ("Europe",)),
    ("Japan", ("Japan",)),
    ("Japan", ("Japan",)),
    ("USA, Europe", ("USA", "Europe")),
    ("World", ("World",)),
    ("France", ("France",)),
    ("Germany", ("Germany",)),
    ("Spain", ("Spain",)),
    ("Korea", ("Korea",)),
)
LANGUAGE_TAGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("En,Fr,De", ("English", "French", "German")),
    ("En,Fr,De,Es,It", ("English", "French", "German", "Spanish", "Italian")),
    ("En,Ja", ("English", "Japanese")),
)
EXTRA_TAGS: tuple[str, ...] = ("Beta", "Proto", "Demo", "Unl", "Hack", "Translated")

GENRES: tuple[str, ...] = (
    "Platform", "Adventure", "Role-playing (RPG)", "Shooter", "Racing", "Sport", "Fighting",
    "Puzzle", "Strategy", "Simulator", "Arcade", "Hack and slash/Beat 'em up", "Music",
    "Real Time Strategy (RTS)", "Turn-based strategy (TBS)", "Tactical", "Pinball", "Quiz/Trivia",
    "Point-and-click", "Visual Novel", "Indie",
)  # fmt: skip
GAME_MODES: tuple[tuple[str, ...], ...] = (
    ("Single player",),
    ("Single player",),
    ("Single player", "Multiplayer"),
    ("Single player", "Co-operative"),
    ("Multiplayer", "Split screen"),
)
PLAYER_COUNTS: tuple[str, ...] = ("1", "1", "1", "1-2", "1-4", "2", "1-8")
AGE_RATINGS: tuple[str, ...] = ("E", "E", "E10+", "T", "M", "PEGI 3", "PEGI 7", "PEGI 12")
COMPANIES: tuple[str, ...] = (
    "Nintendo", "Capcom", "Konami", "Square", "Enix", "Sega", "Namco", "Hudson Soft", "Taito",
    "Atlus", "Koei", "SNK", "Irem", "Treasure", "Rare", "Sunsoft", "Data East", "Tecmo",
    "Game Freak", "HAL Laboratory", "Intelligent Systems", "Retro Studios", "Bandai", "Ubisoft",
    "Electronic Arts", "Activision", "Acclaim", "Psygnosis", "Naughty Dog", "Insomniac Games",
    "Vanillaware", "Falcom", "Compile", "Jaleco", "Natsume", "Working Designs", "Climax",
)  # fmt: skip
FRANCHISE_WORDS: tuple[str, ...] = tuple(NOUNS[::7])

SUMMARY_OPENERS: tuple[str, ...] = (
    "{title} is a {genre} game in which {hero} must {goal}.",
    "In {title}, players guide {hero} across {place} to {goal}.",
    "{title} puts you in the boots of {hero}, who sets out to {goal}.",
    "A {genre} classic: {hero} travels through {place} to {goal}.",
)
SUMMARY_GOALS: tuple[str, ...] = (
    "recover the stolen {noun}",
    "stop the {adj} {noun} before it is too late",
    "rebuild the ruined kingdom of {place}",
    "win the grand {noun} tournament",
    "uncover the secret of the {adj} {noun}",
    "rescue the people of {place} from an ancient curse",
)
SUMMARY_CLOSERS: tuple[str, ...] = (
    " Features {n} levels, hidden secrets and a memorable soundtrack.",
    " Its tight controls and inventive level design made it a favourite of the era.",
    " Supports {players} players and rewards exploration.",
    "",
)
