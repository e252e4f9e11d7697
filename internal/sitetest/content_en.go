package sitetest

// Paths of the English article pages. The exported ones are the special pages
// tests refer to by name (see expected.go).
const (
	enFloods    = "/world/2024/07/nordhaven-floods.html"
	enQuotas    = "/world/2024/07/fishing-quotas.html"
	enRail      = "/world/2024/08/valdora-rail-link.html"
	enWildfire  = "/world/2024/08/kessel-wildfire.html"
	enCoffee    = "/business/2024/07/coffee-prices.html"
	enPort      = SlowPath
	enBank      = "/business/2024/08/central-bank-holds.html"
	enShipyard  = RedirectTarget
	enVents     = "/science/2024/07/hydrothermal-vents.html"
	enBattery   = "/science/2024/08/battery-recycling.html"
	enTerns     = "/science/2024/08/tern-migration.html"
	enFisheries = "/special/2024/fishing-towns-in-transition.html"
	enEnergy    = "/special/2024/energy-coast.html"
	enTrawlers  = "/world/2024/06/ageing-trawler-fleet.html"
	enAuction   = "/business/2024/06/digital-fish-auction.html"
	enSeabirds  = "/science/2024/06/wind-farms-seabirds.html"
	enHistory   = DeepPath
	enMemo      = DisallowedPath
	enWalks     = OffsitePath
)

// englishArticles returns the English article pages, UTF-8 encoded. All names
// of places, people, companies and agencies are invented.
func englishArticles() []article {
	return []article{
		{
			path: enFloods, lang: "en", kind: regular, jsonLD: true,
			title:     "Floodwaters recede in Nordhaven after record rainfall",
			summary:   "Residents of the low-lying harbour districts began returning home on Thursday as the river fell below its warning level.",
			author:    "Maren Holt",
			source:    "Northern Wire",
			published: "2024-07-25T09:30:00Z",
			readAlso:  enQuotas,
			similar:   []string{enWildfire, enRail, enShipyard, enTerns},
			paras: []string{
				"Residents of Nordhaven's low-lying harbour districts began returning to their homes on Thursday, three days after the Elva river burst its banks following the heaviest rainfall recorded in the city since measurements began in 1881.",
				"The municipal emergency office said the water level at the Kornbro gauge had dropped to 2.1 metres overnight, below the warning threshold for the first time since Sunday. Around 1,400 people had been moved to schools and sports halls at the height of the flood.",
				"“The pumps have done their work, but the clean-up will take weeks,” said deputy mayor Ingrid Solbakk, standing in front of a row of shops where the waterline was still visible at knee height. Insurers estimate the damage at several hundred million crowns.",
				"Engineers are now inspecting the embankments along the eastern quay, where a section of the flood wall gave way late on Monday. The city council will meet next week to decide whether to bring forward a long-delayed plan to raise the walls by half a metre.",
				"Meteorologists warned that more unsettled weather is expected before the end of the month, although forecasts do not point to rainfall on the scale seen at the weekend.",
			},
		},
		{
			path: enQuotas, lang: "en", kind: regular,
			title:     "Coastal states agree on shared fishing quotas after marathon talks",
			summary:   "Negotiators from four countries settled a two-year dispute over herring and mackerel stocks in the early hours of Saturday.",
			author:    "Tomas Berg",
			source:    "Coastal Press Agency",
			published: "2024-07-27T06:15:00Z",
			readAlso:  enCoffee,
			similar:   []string{enFloods, enCoffee, enTerns},
			paras: []string{
				"Negotiators from four coastal states reached an agreement on shared quotas for herring and mackerel in the early hours of Saturday, ending a dispute that had kept fishing fleets in port for parts of the last two seasons.",
				"Under the deal, the total allowable catch for herring will be cut by eight percent next year, while the share allocated to smaller coastal boats will rise from 12 to 15 percent. Scientists had called for a deeper cut, arguing that spawning stocks remain below long-term averages.",
				"“Nobody leaves this room entirely happy, which is usually the sign of a fair compromise,” said the chair of the talks, Valdora's fisheries minister Annika Lund, after the eighteen-hour session in the port city of Estby.",
				"Fishermen's associations gave the agreement a cautious welcome. Several said the quota increase for small boats would matter more to harbour towns than the headline cut, because it keeps landings and processing jobs close to home.",
				"The agreement must still be ratified by the four parliaments. Officials said they expected the new quotas to apply from the first of January.",
			},
		},
		{
			path: enRail, lang: "en", kind: regular, jsonLD: true,
			title:     "Cross-border rail link opens between Valdora and Estmark",
			summary:   "The first passenger train crossed the new Sund bridge on Monday, cutting the journey between the two capitals to under three hours.",
			author:    "Lise Aamodt",
			source:    "Northern Wire",
			published: "2024-08-05T11:00:00Z",
			readAlso:  enPort,
			similar:   []string{enFloods, enShipyard, enPort},
			paras: []string{
				"The first scheduled passenger train crossed the new Sund bridge on Monday morning, opening a rail link between Valdora and Estmark that had been discussed for more than forty years and under construction for nine.",
				"The 2.4-kilometre bridge and the tunnels on either side cut the journey between the two capitals to two hours and fifty minutes, roughly half the time it takes by road. Six trains a day will run in each direction at first, rising to hourly services from December.",
				"Hundreds of people gathered on the platforms at both ends to watch the departure. Some had bought tickets months in advance; others came simply to see the train pass. “My grandfather worked on the ferries that this line replaces,” said Henrik Dahl, a retired teacher travelling with his two grandchildren.",
				"The project went over budget by about a fifth, largely because of difficult ground conditions on the Estmark side, where engineers had to freeze the soil to dig the final section of tunnel.",
				"Freight operators will begin using the line in the spring, once the signalling system has completed a further round of safety tests.",
			},
		},
		{
			path: enWildfire, lang: "en", kind: regular,
			title:     "Firefighters contain wildfire in the Kessel hills",
			summary:   "Cooler weather and a shift in the wind allowed crews to bring the largest fire of the summer under control.",
			author:    "Maren Holt",
			source:    "Coastal Press Agency",
			published: "2024-08-14T17:45:00Z",
			readAlso:  enVents,
			similar:   []string{enFloods, enVents, enRail},
			paras: []string{
				"Firefighters said on Wednesday evening that they had contained the wildfire that has burned through more than 3,000 hectares of forest and heath in the Kessel hills since the weekend, after cooler weather and a change in wind direction slowed its advance.",
				"More than 400 firefighters, supported by water-bombing aircraft from two neighbouring countries, had battled the blaze, which at one point came within a kilometre of the village of Lindmo. About 600 residents were evacuated as a precaution and were allowed to return on Tuesday.",
				"“We had a narrow window and we used it,” said regional fire chief Eskil Norum. “The line along the old forestry road held, and that made all the difference.”",
				"No injuries were reported, but several summer cabins and a sawmill were destroyed. Investigators have not yet determined the cause of the fire, although the region had seen almost no rain for six weeks.",
				"Crews will remain in the area for several days to put out pockets of smouldering ground, which can reignite when the wind picks up.",
			},
		},
		{
			path: enCoffee, lang: "en", kind: regular, jsonLD: true,
			title:     "Coffee prices climb as a poor harvest tightens supply",
			summary:   "Wholesale prices for arabica beans rose for a sixth consecutive week, and roasters warn that shoppers will soon feel the difference.",
			author:    "Jonas Vik",
			source:    "Market Desk Wire",
			published: "2024-07-18T08:00:00Z",
			readAlso:  enBank,
			similar:   []string{enBank, enPort, enQuotas},
			paras: []string{
				"Wholesale prices for arabica coffee rose for a sixth consecutive week, as traders reacted to forecasts that this year's harvest in several major growing regions will be considerably smaller than expected after a long dry spell during flowering.",
				"Benchmark futures have gained almost 30 percent since the start of the year. Robusta, the cheaper variety used in instant coffee and many espresso blends, has risen even faster, as buyers who usually rely on arabica look for alternatives.",
				"Roasters in Halden said they had so far absorbed most of the increase, but that retail prices would have to follow. “We buy six months ahead, so what you pay in the shop today reflects last winter's prices,” said Sofie Lien, who runs a mid-sized roastery near the harbour. “The real jump is still to come.”",
				"Analysts note that stocks held in certified warehouses have fallen to their lowest level in more than a decade, leaving the market with little cushion if the next crop also disappoints.",
				"Some cafés have already started to adjust, offering smaller cups or adding a surcharge for plant-based milk to protect their margins.",
			},
		},
		{
			path: enPort, lang: "en", kind: regular, slow: true,
			title:     "Port of Halden bets on automated cranes to win back shipping lines",
			summary:   "The port will spend 1.2 billion crowns on remote-controlled cranes and a new container yard over the next four years.",
			author:    "Jonas Vik",
			source:    "Northern Wire",
			published: "2024-07-22T13:20:00Z",
			readAlso:  enShipyard,
			similar:   []string{enShipyard, enBank, enRail},
			paras: []string{
				"The Port of Halden will spend 1.2 billion crowns over the next four years on remote-controlled cranes and a redesigned container yard, its board announced on Monday, in an attempt to win back shipping lines that have moved their calls to larger ports further south.",
				"The plan replaces six ageing ship-to-shore cranes with eight new ones that can be operated from a control room, and automates the stacking cranes in the yard. The port says the changes will cut the average time a ship spends at the quay by about a third.",
				"Dock workers' unions have reacted with caution. The port has promised that no permanent employees will be made redundant, and that crane drivers will be retrained as remote operators, but union representative Kari Strand said the details of the agreement still had to be negotiated.",
				"“Automation is coming whether we like it or not,” Strand said. “Our job is to make sure the people who built this port are part of what comes next.”",
				"Container volumes at Halden fell by eleven percent last year. The first of the new cranes is expected to arrive by sea from the manufacturer in the autumn of next year.",
			},
		},
		{
			path: enBank, lang: "en", kind: regular, jsonLD: true,
			title:     "Central bank holds interest rates and signals patience",
			summary:   "Policymakers kept the key rate at 4.25 percent and said they wanted more evidence that inflation is falling before cutting.",
			author:    "Hanna Rye",
			source:    "Market Desk Wire",
			published: "2024-08-08T10:05:00Z",
			readAlso:  enCoffee,
			similar:   []string{enCoffee, enPort, enShipyard},
			paras: []string{
				"The central bank kept its key interest rate unchanged at 4.25 percent on Thursday and said it would need to see further evidence that inflation is easing before it considers lowering borrowing costs.",
				"Consumer prices rose by 3.6 percent in the year to July, down from a peak of more than seven percent eighteen months ago but still well above the bank's two percent target. Rents and services have been the most persistent sources of price pressure.",
				"Governor Petra Envik told reporters that the bank did not want to repeat the mistakes of earlier decades, when rates were cut too soon. “The last stretch is often the hardest,” she said. “We would rather be a little late than have to reverse course.”",
				"Most economists had expected the decision, although a minority had argued for a small cut to support the housing market, where transactions have fallen sharply since the spring. The currency strengthened slightly after the announcement.",
				"The bank's next forecast will be published in October, together with its assessment of financial stability.",
			},
		},
		{
			path: enShipyard, lang: "en", kind: regular,
			title:     "Shipyard order book swells on demand for electric ferries",
			summary:   "The Brenna yard has signed contracts for eleven battery-powered ferries, its biggest order book in three decades.",
			author:    "Hanna Rye",
			source:    "Coastal Press Agency",
			published: "2024-08-19T07:40:00Z",
			readAlso:  enRail,
			similar:   []string{enPort, enRail, enBattery},
			paras: []string{
				"The Brenna shipyard has signed contracts for eleven battery-powered ferries, giving it the largest order book it has had in three decades and securing work for its 900 employees until at least 2028.",
				"The orders come from regional transport authorities that are replacing diesel vessels on short crossings, where ferries can recharge at the quay in the few minutes it takes to unload and load cars. Three of the new ferries will be the largest electric vessels the yard has built.",
				"“Ten years ago people asked whether this yard had a future at all,” said managing director Ola Fjeld. “Now we are hiring welders and electricians as fast as we can train them.”",
				"The yard has opened a training centre with the local technical college, and says it plans to take on around 150 apprentices over the next three years. Suppliers of batteries and charging equipment are also expanding in the area.",
				"Industry analysts caution that the yard remains dependent on public contracts, and that competition from larger builders abroad is intense. The first of the new ferries is due to be delivered next summer.",
			},
		},
		{
			path: enVents, lang: "en", kind: regular, jsonLD: true,
			title:     "Deep-sea survey maps a field of hydrothermal vents",
			summary:   "An uncrewed submarine found more than forty active vents on a ridge that had never been surveyed in detail.",
			author:    "Eirik Sand",
			source:    "Science Press Service",
			published: "2024-07-30T12:00:00Z",
			readAlso:  enBattery,
			similar:   []string{enTerns, enBattery, enWildfire},
			paras: []string{
				"An uncrewed research submarine has mapped a field of more than forty active hydrothermal vents on an underwater ridge west of the Skarv islands, at a depth of around 2,800 metres, in an area that had never before been surveyed in detail.",
				"The vents release mineral-rich water heated to more than 300 degrees Celsius by magma below the sea floor. Over time the minerals build chimneys several metres tall, which are home to communities of shrimp, snails and bacteria that live without sunlight.",
				"“We expected to find one or two vents. We found a city,” said chief scientist Ragna Moe of the marine research institute, which led the expedition. Samples brought to the surface will be analysed over the coming months, and the team believes some of the organisms may be new to science.",
				"The discovery is likely to add to the debate about deep-sea mining, since the chimneys contain copper, zinc and other metals. Several researchers on the expedition have called for the site to be protected before any commercial exploration takes place.",
				"The full map will be published in a scientific journal next year.",
			},
		},
		{
			path: enBattery, lang: "en", kind: regular,
			title:     "Researchers recover lithium from spent batteries at room temperature",
			summary:   "A new process uses a mild acid and electricity instead of furnaces, cutting the energy needed for recycling.",
			author:    "Eirik Sand",
			source:    "Science Press Service",
			published: "2024-08-12T09:00:00Z",
			readAlso:  enVents,
			similar:   []string{enVents, enShipyard, enTerns},
			paras: []string{
				"Chemists at Halden University have developed a way to recover lithium and cobalt from spent car batteries at room temperature, a process they say could cut the energy needed for battery recycling by more than half.",
				"Most recycling plants today either melt batteries down in furnaces or dissolve them in strong acids at high temperatures. The new method uses a mild organic acid and a small electric current to separate the metals, which can then be reused to make new battery materials.",
				"“The chemistry is not exotic. What is new is the combination, and the fact that it works on real, messy battery waste rather than clean samples,” said project leader Astrid Kolstad.",
				"The team has so far tested the process in batches of a few kilograms. A pilot plant able to handle several tonnes a week is planned for next year, with support from two battery manufacturers.",
				"Demand for recycled lithium is expected to grow quickly as the first generation of electric cars reaches the end of its life, and as new rules require a minimum share of recycled material in new batteries.",
			},
		},
		{
			path: enTerns, lang: "en", kind: regular, jsonLD: true,
			title:     "Tagged terns reveal a longer migration route than expected",
			summary:   "Tiny geolocators show that Arctic terns from the Skarv colony fly more than 90,000 kilometres a year.",
			author:    "Lina Haug",
			source:    "Science Press Service",
			published: "2024-08-21T15:30:00Z",
			readAlso:  enWildfire,
			similar:   []string{enVents, enQuotas, enFloods},
			paras: []string{
				"Arctic terns nesting on the Skarv islands fly more than 90,000 kilometres a year on their round trip to the Antarctic, according to a study that tracked 46 birds with geolocators weighing less than a paperclip.",
				"The birds did not fly straight south. Most followed a wide S-shaped route along the Atlantic, making use of prevailing winds, and several stopped for weeks in a productive area of ocean off West Africa to feed before continuing.",
				"“Over a lifetime of thirty years, one of these birds may fly the equivalent of three return trips to the Moon,” said ornithologist Per Aune, who has studied the colony for a decade.",
				"The researchers recovered the tags when the birds returned to the same nesting sites the following summer. They say the data will help identify feeding areas at sea that may need protection, since the terns depend on them to complete the journey.",
				"The colony has shrunk by a quarter since the 1990s, a decline scientists link to changes in the small fish the birds feed to their chicks.",
			},
		},
		{
			path: enFisheries, lang: "en", kind: anchor, jsonLD: true,
			title:     "Special report: The fishing towns in transition",
			summary:   "Fewer boats, bigger catches and an ageing workforce are changing life in the harbour towns along the coast.",
			author:    "Tomas Berg",
			source:    "Harbour Herald Special Reports",
			published: "2024-06-28T06:00:00Z",
			readAlso:  enQuotas,
			similar:   []string{enTrawlers, enAuction, enQuotas, enCoffee},
			paras: []string{
				"In the harbour of Skjervik, where forty boats once landed their catch every morning, there are now nine. Yet the town lands more fish than it did in the 1980s, because the boats that remain are larger, better equipped and able to stay at sea for days at a time.",
				"That paradox runs through the whole coast. Over the past three decades the number of registered fishing vessels has fallen by more than half, while the value of the catch has doubled. Quotas have been concentrated in fewer hands, and the money they bring has followed.",
				"For the towns themselves, the change has been mixed. Processing plants have closed or merged, and young people have moved to the cities. “The fish are still here. It's the people we are running out of,” said Berit Lunde, who runs the last net workshop in Skjervik.",
				"Local councils are trying to reverse the trend with cheaper housing for young families, subsidised apprenticeships on boats and new uses for empty harbour buildings, from seaweed farms to tourist accommodation.",
				"This special report looks at how the fleet, the markets and the communities that depend on them are adapting, and at what the next decade may bring.",
			},
		},
		{
			path: enEnergy, lang: "en", kind: anchor,
			title:     "Special report: Wind, water and the new energy coast",
			summary:   "Offshore wind farms and hydrogen plants are bringing investment to the coast, along with new conflicts over space at sea.",
			author:    "Lise Aamodt",
			source:    "Harbour Herald Special Reports",
			published: "2024-06-30T06:00:00Z",
			readAlso:  enVents,
			similar:   []string{enSeabirds, enAuction, enVents, enPort},
			paras: []string{
				"From the hills above Halden on a clear day you can see the first turbines of the Storbank wind farm, thirty kilometres out to sea. By the end of the decade there may be more than two hundred of them, supplying power to more than a million homes.",
				"The turbines are part of a wider transformation of the coast. Old industrial harbours are being rebuilt as bases for installation vessels, and two companies have applied for permits to build plants that would use surplus wind power to produce hydrogen for ships and heavy industry.",
				"The investment is welcome in towns that lost jobs when shipbuilding declined. But it has also created new conflicts. Fishermen fear losing access to grounds they have used for generations, and bird conservation groups want more research before the largest projects go ahead.",
				"“The sea is not empty. Every square kilometre is already being used by someone, or something,” said marine planner Siv Halvorsen, who advises the regional council on where new farms should be placed.",
				"This report looks at who gains and who loses as the coast becomes an energy region, and at how planners are trying to share the sea between old industries and new ones.",
			},
		},
		{
			path: enTrawlers, lang: "en", kind: relatedOnly,
			title:     "An ageing trawler fleet looks for a future",
			summary:   "Half the coastal trawlers still working are more than forty years old, and replacing them is expensive.",
			author:    "Tomas Berg",
			source:    "Coastal Press Agency",
			published: "2024-06-20T08:30:00Z",
			readAlso:  enShipyard,
			similar:   []string{enHistory, enQuotas, enShipyard},
			paras: []string{
				"Half of the coastal trawlers still fishing out of the region's harbours were built more than forty years ago, according to figures from the fisheries directorate, and many owners say they cannot afford to replace them.",
				"A new trawler of around thirty metres costs upwards of 60 million crowns, and banks are reluctant to lend against quotas that may change from year to year. As a result, boats are kept running long past the point where they would once have been scrapped.",
				"“She was built the year I was born, and we are both still working,” said skipper Arne Vold of his trawler, the Havbris, as he mended a winch in the harbour at Skjervik. Repairs, he said, now cost him more each year than fuel.",
				"The government has proposed a scheme of guaranteed loans for vessels that run on batteries or biofuels, but owners say the rules favour larger companies. The industry association wants grants for smaller boats as well.",
				"Without new investment, the directorate warns, a third of the coastal fleet could disappear within ten years.",
			},
		},
		{
			path: enAuction, lang: "en", kind: relatedOnly, jsonLD: true,
			title:     "The fish auction goes digital",
			summary:   "Buyers now bid on catches from their phones while the boats are still at sea.",
			author:    "Jonas Vik",
			source:    "Market Desk Wire",
			published: "2024-06-24T10:10:00Z",
			readAlso:  enCoffee,
			similar:   []string{enCoffee, enPort, enQuotas},
			paras: []string{
				"For more than a century the fish auction in Halden was held at six in the morning in a cold hall by the quay, where buyers inspected the boxes and shouted their bids. Since this spring it has been held on a screen.",
				"Skippers now register their catch while the boat is still at sea, with photographs and measurements from sensors in the hold. Buyers across the country bid from their phones, and the fish is sold before it is landed, often to a processing plant hundreds of kilometres away.",
				"The auction company says prices have risen by about six percent on average, because more buyers can take part. “A small boat from an island can now reach the same customers as the big companies,” said chief executive Mona Eide.",
				"Not everyone is convinced. Some older buyers complain that they can no longer see and touch the fish before they bid, and rely instead on quality grades given by inspectors at the quay.",
				"The old auction hall is being converted into a market and restaurant, which is due to open next year.",
			},
		},
		{
			path: enSeabirds, lang: "en", kind: relatedOnly,
			title:     "Do offshore wind farms change the routes of seabirds?",
			summary:   "Radar studies suggest many seabirds steer around turbines, but scientists say the effects on populations are still unclear.",
			author:    "Lina Haug",
			source:    "Science Press Service",
			published: "2024-06-26T14:00:00Z",
			readAlso:  enTerns,
			similar:   []string{enTerns, enVents},
			paras: []string{
				"Radar and camera studies at two offshore wind farms suggest that many seabirds change course to fly around the turbines rather than between them, adding several kilometres to journeys between their colonies and their feeding grounds.",
				"Gannets and guillemots showed the strongest avoidance, with fewer than one in ten flying inside the wind farm area. Gulls were far less cautious, and were sometimes seen resting on the turbine platforms.",
				"“Avoiding a collision is good news for the individual bird, but a longer flight costs energy, and energy is what a parent needs to feed its chicks,” said biologist Jorunn Lie, who led the analysis.",
				"The researchers stress that the effects on whole populations are still uncertain, since birds may also benefit from the artificial reefs that form around turbine foundations and attract fish.",
				"Planning authorities have asked for the monitoring to continue for at least five more years before the largest new projects are approved.",
			},
		},
		{
			path: enHistory, lang: "en", kind: deep, jsonLD: true,
			title:     "A century of the Nordhaven fishing fleet",
			summary:   "From sail to steam to diesel: a look back at the boats that built the city.",
			author:    "Tomas Berg",
			source:    "Harbour Herald Archive",
			published: "2023-11-10T09:00:00Z",
			readAlso:  enFloods,
			similar:   []string{enFloods, enQuotas},
			paras: []string{
				"When the first steam trawler arrived in Nordhaven in 1911, the harbour was still full of open sailing boats that fished within sight of land. Within twenty years the steamers had taken over, and the city's fish market had become one of the busiest on the coast.",
				"The fleet reached its largest size in the 1960s, when more than 300 vessels were registered in the city. Diesel engines, echo sounders and, later, radar allowed the boats to fish further out and in worse weather than ever before.",
				"Decline came with the quota system of the 1980s and the closure of the last large processing plant in 1997. Today fewer than thirty boats are based in the city.",
				"Many of the old wheelhouses and engines are now kept at the maritime museum on the eastern quay, where volunteers restore them every winter.",
			},
		},
		{
			path: enMemo, lang: "en", kind: private,
			title:     "Exclusive: internal memo outlines port restructuring",
			summary:   "Three regional ports would be merged into a single company by 2026.",
			author:    "Hanna Rye",
			source:    "The Harbour Herald",
			published: "2024-08-23T18:00:00Z",
			readAlso:  enPort,
			similar:   []string{enPort, enFloods},
			paras: []string{
				"An internal memo seen by this newspaper outlines plans to merge the administrations of three regional ports into a single company by 2026, a change that would affect around 250 office jobs.",
				"The memo, dated in May, describes the merger as necessary to compete for investment in offshore wind and container traffic, and proposes that the new company be based in Halden.",
				"Port officials declined to comment on the document, saying only that several options for closer cooperation were being studied and that no decisions had been taken.",
				"Employee representatives said they had not been consulted and demanded a meeting with the boards of all three ports.",
			},
		},
		{
			path: enWalks, lang: "en", kind: offsite,
			title:     "Partner content: Ten harbour walks for the autumn",
			summary:   "From a short loop around the old customs house to a day on the cliffs.",
			author:    "Partner Studio",
			source:    "Partner Studio",
			published: "2024-09-01T07:00:00Z",
			readAlso:  enFloods,
			similar:   []string{enRail},
			paras: []string{
				"Autumn is the best season to explore the coast on foot: the summer crowds have gone, the light is low and golden, and the harbour cafés still have their tables outside on mild afternoons.",
				"Our partners have chosen ten walks that start and end at a harbour, from a short loop around the old customs house in Halden to a full day's hike along the cliffs north of Skjervik.",
				"Most of the routes are suitable for families, and all of them can be reached by public transport. Good shoes and a windproof jacket are recommended, since the weather on the coast can change quickly.",
				"Maps and descriptions of every route can be collected free of charge from tourist offices in the region.",
			},
		},
	}
}
